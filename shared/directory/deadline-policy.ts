/** Deadline policy: working days per request type — per city configuration, never a constant. */
import { z } from 'zod';
import { REQUEST_TYPES } from '../orders/work-order';

export const deadlinePolicySchema = z
  .object({
    /** Working days to handle a request, by type. */
    workingDays: z.object(Object.fromEntries(REQUEST_TYPES.map((t) => [t, z.number().int().min(0).max(60)])) as Record<(typeof REQUEST_TYPES)[number], z.ZodNumber>).strict(),
    /** Working days for urgent requests (0 = the same day). */
    urgentWorkingDays: z.number().int().min(0).max(10),
    /** Working days a unit has to return an order that is not its responsibility. */
    returnWithinWorkingDays: z.number().int().min(0).max(10),
    /** Longest total extension in working days. */
    maxExtensionWorkingDays: z.number().int().min(0).max(60),
  })
  .strict();
export type DeadlinePolicy = z.infer<typeof deadlinePolicySchema>;

/** Guangdong province: consultation 2, help/suggestion 10, complaint/report 15 working days. */
export const GUANGDONG_POLICY: DeadlinePolicy = {
  workingDays: { consult: 2, help: 10, complaint: 15, report: 15, suggestion: 10 },
  urgentWorkingDays: 0,
  returnWithinWorkingDays: 1,
  maxExtensionWorkingDays: 10,
};
