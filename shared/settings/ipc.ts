/** IPC for the settings document (see shared/settings/schema.ts). */
import { z } from 'zod';
import { defineEvent, defineInvoke } from '../ipc/contract';
import { sectionSchemas, settingsSchema, settingsSectionSchema } from './schema';

export const settingsUpdateSchema = z.discriminatedUnion('section', [
  z.object({ section: z.literal('locale'), value: sectionSchemas.locale }).strict(),
  z.object({ section: z.literal('sip'), value: sectionSchemas.sip }).strict(),
  z.object({ section: z.literal('calls'), value: sectionSchemas.calls }).strict(),
  z.object({ section: z.literal('audio'), value: sectionSchemas.audio }).strict(),
  z.object({ section: z.literal('platform'), value: sectionSchemas.platform }).strict(),
  z.object({ section: z.literal('shortcuts'), value: sectionSchemas.shortcuts }).strict(),
  z.object({ section: z.literal('ui'), value: sectionSchemas.ui }).strict(),
  z.object({ section: z.literal('transfers'), value: sectionSchemas.transfers }).strict(),
]);
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

/** Something the agent must be told about the settings file at start-up. */
export const settingsNoticeSchema = z
  .object({
    kind: z.enum(['recoveredCorrupt', 'recoveredInvalid', 'migrated']),
    /** File name (not path) of the backup kept beside the settings file. */
    backupFile: z.string().optional(),
    fromVersion: z.number().int().optional(),
    at: z.number().int(),
  })
  .strict();
export type SettingsNotice = z.infer<typeof settingsNoticeSchema>;

export const settingsIpc = {
  getAll: defineInvoke('settings:getAll', z.undefined(), settingsSchema),
  get: defineInvoke(
    'settings:get',
    z.object({ section: settingsSectionSchema }).strict(),
    z.union([sectionSchemas.locale, sectionSchemas.sip, sectionSchemas.calls, sectionSchemas.audio, sectionSchemas.platform, sectionSchemas.shortcuts, sectionSchemas.ui, sectionSchemas.transfers]),
  ),
  set: defineInvoke('settings:set', settingsUpdateSchema, settingsSchema),
  reset: defineInvoke('settings:reset', z.object({ section: settingsSectionSchema }).strict(), settingsSchema),
  notices: defineInvoke('settings:notices', z.undefined(), z.array(settingsNoticeSchema)),
  onChanged: defineEvent('settings:changed', settingsSchema),
} as const;
