/** IPC for global shortcuts: their registration status (conflicts) and their key presses. */
import { z } from 'zod';
import { defineEvent, defineInvoke } from '../ipc/contract';
import { shortcutActionSchema } from '../settings/schema';

export const shortcutProblemSchema = z.enum(['invalid', 'duplicate', 'takenByOtherApp']);

export const shortcutBindingSchema = z
  .object({
    action: shortcutActionSchema,
    accelerator: z.string(),
    registered: z.boolean(),
    problem: shortcutProblemSchema.optional(),
    /** For 'duplicate': the action that has the same accelerator. */
    conflictsWith: shortcutActionSchema.optional(),
  })
  .strict();
export type ShortcutBinding = z.infer<typeof shortcutBindingSchema>;

export const shortcutsIpc = {
  status: defineInvoke('shortcuts:status', z.undefined(), z.array(shortcutBindingSchema)),
  onTriggered: defineEvent('shortcuts:triggered', z.object({ action: shortcutActionSchema }).strict()),
  onStatusChanged: defineEvent('shortcuts:statusChanged', z.array(shortcutBindingSchema)),
} as const;
