import type { systemRoutes } from '../../../shared/platform/system';
import type { HandlerTable } from './types';

export const systemHandlers: HandlerTable<typeof systemRoutes> = {
  health: async (ctx) => {
    await ctx.db.query('select 1');
    return { body: { status: 'ok' as const, database: ctx.db.kind, version: ctx.config.version } };
  },
};
