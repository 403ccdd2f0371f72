/** IPC for renderer logging: entries are redacted again in main before they reach a file. */
import { z } from 'zod';
import { defineInvoke } from '../ipc/contract';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const logLevelSchema = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof logLevelSchema>;

export const logEntrySchema = z
  .object({
    level: logLevelSchema,
    module: z.string().min(1).max(40).regex(/^[a-z][a-z0-9.-]*$/),
    message: z.string().max(2000),
    context: z.record(z.string().max(64), z.unknown()).optional(),
  })
  .strict();
export type LogEntry = z.infer<typeof logEntrySchema>;

export const loggingIpc = {
  write: defineInvoke('logging:write', logEntrySchema, z.null()),
} as const;
