/**
 * IPC for the connection to the central platform. Tokens never cross this boundary: the
 * renderer sends the password once to sign in and then sees only the session's state.
 */
import { z } from 'zod';
import { defineEvent, defineInvoke } from '../ipc/contract';
import { roleSchema } from '../http/route';

export const platformUserSchema = z
  .object({ account: z.string(), displayName: z.string(), role: roleSchema, orgCode: z.string() })
  .strict();

export const platformStatusSchema = z
  .object({
    /**
     * signedOut: no session (show the sign-in screen) · online: signed in and reachable ·
     * offline: signed in earlier, platform unreachable now (keep working; sync waits)
     */
    state: z.enum(['signedOut', 'online', 'offline']),
    user: platformUserSchema.optional(),
    baseUrl: z.string().optional(),
    /** Why the platform is unreachable or the last sign-in failed (for the status bar). */
    problem: z.string().optional(),
    /** Epoch ms of the last successful contact. */
    lastContactAt: z.number().int().optional(),
  })
  .strict();
export type PlatformStatus = z.infer<typeof platformStatusSchema>;

export const sessionIpc = {
  status: defineInvoke('session:status', z.undefined(), platformStatusSchema),
  signIn: defineInvoke(
    'session:signIn',
    z
      .object({
        baseUrl: z.string().min(1).max(512),
        account: z.string().min(1).max(64),
        password: z.string().min(1).max(256),
        rememberAccount: z.boolean(),
      })
      .strict(),
    platformStatusSchema,
    { errors: ['invalid_address', 'insecure_address', 'wrong_credentials', 'rate_limited', 'unreachable', 'rejected', 'invalid_response'] },
  ),
  signOut: defineInvoke('session:signOut', z.undefined(), platformStatusSchema),
  onStatusChanged: defineEvent('session:statusChanged', platformStatusSchema),
} as const;
