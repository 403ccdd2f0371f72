/**
 * IPC for the knowledge base. The renderer keeps the offline copy of the articles (its own
 * database) and the search's synonym table; main reads the platform's change feed and table for
 * it, so the access token never leaves main.
 */
import { z } from 'zod';
import { defineInvoke } from '../ipc/contract';
import { knowledgeRoutes } from './routes';

/** A checkpoint of the platform's change feed (an opaque decimal counter; '0' is the start). */
export const checkpointSchema = z.string().regex(/^\d{1,20}$/);

export const knowledgeChangesSchema = knowledgeRoutes.changes.response;
export type KnowledgeChanges = z.infer<typeof knowledgeChangesSchema>;

export const knowledgeSynonymsSchema = knowledgeRoutes.synonyms.response;
export type KnowledgeSynonyms = z.infer<typeof knowledgeSynonymsSchema>;

export const knowledgeIpc = {
  /** One page of articles changed or withdrawn after `after` (incremental sync). */
  changes: defineInvoke(
    'knowledge:changes',
    z.object({ after: checkpointSchema, limit: z.number().int().min(1).max(1000).optional() }).strict(),
    knowledgeChangesSchema,
    { errors: ['unavailable', 'signed_out', 'rejected'] },
  ),
  /** The synonym table and its version; `rows` left out when `known` is that version already. */
  synonyms: defineInvoke(
    'knowledge:synonyms',
    z.object({ known: z.number().int().nonnegative().optional() }).strict(),
    knowledgeSynonymsSchema,
    { errors: ['unavailable', 'signed_out', 'rejected'] },
  ),
} as const;
