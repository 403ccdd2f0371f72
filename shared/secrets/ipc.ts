/**
 * IPC for secrets. Write-only from the renderer: it can set or clear the SIP password and learn
 * whether one is stored; it can never read a secret back (the softphone gets its credentials
 * from main at registration time through its own channel).
 */
import { z } from 'zod';
import { defineInvoke } from '../ipc/contract';

export const secretsStatusSchema = z
  .object({
    sipPasswordSet: z.boolean(),
    /** 'os': the OS keychain protects the key; 'weak': encryption with a built-in key (Linux without a keyring); 'unavailable': nothing can be stored. */
    protection: z.enum(['os', 'weak', 'unavailable']),
  })
  .strict();
export type SecretsStatus = z.infer<typeof secretsStatusSchema>;

export const secretsIpc = {
  status: defineInvoke('secrets:status', z.undefined(), secretsStatusSchema),
  setSipPassword: defineInvoke('secrets:setSipPassword', z.object({ password: z.string().min(1).max(128) }).strict(), secretsStatusSchema, {
    errors: ['secrets_unavailable'],
  }),
  clearSipPassword: defineInvoke('secrets:clearSipPassword', z.undefined(), secretsStatusSchema),
} as const;
