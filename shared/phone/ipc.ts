/**
 * IPC for the softphone: the SIP password is handed over only here, only at registration time,
 * and only to the app's own top frame (as every channel).
 */
import { z } from 'zod';
import { defineInvoke } from '../ipc/contract';

export const phoneIpc = {
  credentials: defineInvoke(
    'phone:credentials',
    z.undefined(),
    z.object({ authUser: z.string(), password: z.string() }).strict(),
    { errors: ['no_password'] },
  ),
} as const;
