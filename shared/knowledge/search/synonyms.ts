/**
 * The synonym and abbreviation table as the platform serves it and administrators edit it
 * (see expand.ts for what a row means): validated wherever it is read.
 */
import { z } from 'zod';

export const synonymRowSchema = z
  .object({
    terms: z.array(z.string().trim().min(1).max(12)).min(2).max(12),
    oneWay: z.boolean().optional(),
  })
  .strict();

export const synonymRowsSchema = z.array(synonymRowSchema).max(5_000);
