import { z } from 'zod';
import { defineRoute, emptySchema } from '../http/route';

export const systemRoutes = {
  health: defineRoute({
    id: 'system.health',
    method: 'GET',
    path: '/v1/health',
    summary: 'Liveness and database kind',
    tag: 'system',
    auth: 'public',
    query: emptySchema,
    successStatus: 200,
    response: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), version: z.string() }).strict(),
  }),
} as const;
