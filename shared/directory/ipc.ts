/**
 * IPC for the city's reference data (directory, units, categories, areas, phrases, out-of-scope
 * reasons, deadline policy, calendar). Main fetches each set from the platform when its version
 * changes and keeps the last good copy on disk, so the order form works with the platform down.
 */
import { z } from 'zod';
import { defineEvent, defineInvoke } from '../ipc/contract';
import { calendarDaySchema, categoryNodeSchema, directoryEntrySchema, areaNodeSchema, outOfScopeReasonSchema, phraseSchema, unitSchema } from './routes';
import { deadlinePolicySchema } from './deadline-policy';

export const REFERENCE_SETS = ['directory', 'units', 'categories', 'areas', 'phrases', 'outOfScope', 'deadlinePolicy', 'calendar'] as const;
export type ReferenceSet = (typeof REFERENCE_SETS)[number];

export const referenceDataSchema = z
  .object({
    /** The platform's version of each set this copy holds. */
    versions: z.record(z.enum(REFERENCE_SETS), z.number().int().nonnegative()),
    directory: z.array(directoryEntrySchema),
    units: z.array(unitSchema),
    categories: z.array(categoryNodeSchema),
    areas: z.array(areaNodeSchema),
    phrases: z.array(phraseSchema),
    outOfScope: z.array(outOfScopeReasonSchema),
    deadlinePolicy: deadlinePolicySchema.nullable(),
    calendar: z.object({ knownYears: z.array(z.number().int()), days: z.array(calendarDaySchema) }).strict(),
  })
  .strict();
export type ReferenceData = z.infer<typeof referenceDataSchema>;

export const referenceStateSchema = z
  .object({
    /** null until a first copy was fetched (a new installation that never reached the platform). */
    data: referenceDataSchema.nullable(),
    /** Epoch ms of the copy's last successful refresh. */
    fetchedAt: z.number().int().nullable(),
    /** The last refresh failed: the copy shown may be old. */
    stale: z.boolean(),
  })
  .strict();
export type ReferenceState = z.infer<typeof referenceStateSchema>;

export const directoryIpc = {
  reference: defineInvoke('directory:reference', z.undefined(), referenceStateSchema),
  /** Refresh now (otherwise main refreshes on sign-in, on reconnect and every few minutes). */
  refresh: defineInvoke('directory:refresh', z.undefined(), referenceStateSchema),
  onChanged: defineEvent('directory:changed', referenceStateSchema),
} as const;
