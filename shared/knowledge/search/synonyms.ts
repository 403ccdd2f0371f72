/**
 * The synonym and abbreviation table as the platform serves it and administrators edit it
 * (see expand.ts for what a row means): validated wherever it is read.
 */
import { z } from 'zod';
import { normalText } from './tokenize';

/** The first term that repeats in a row as the search matches terms (trimmed, NFKC, lower case). */
function repeatedTerm(terms: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const t of terms) {
    const n = normalText(t);
    if (seen.has(n)) return t;
    seen.add(n);
  }
  return undefined;
}

export const synonymRowSchema = z
  .object({
    terms: z.array(z.string().trim().min(1).max(12)).min(2).max(12),
    oneWay: z.boolean().optional(),
  })
  .strict()
  // A repeated term adds nothing to the search and is almost always a typing slip: refused, named.
  .superRefine((row, ctx) => {
    const term = repeatedTerm(row.terms);
    if (term !== undefined) ctx.addIssue({ code: 'custom', path: ['terms'], message: `term "${term}" appears more than once in the row` });
  });

export const synonymRowsSchema = z.array(synonymRowSchema).max(5_000);
export type SynonymRows = z.infer<typeof synonymRowsSchema>;
