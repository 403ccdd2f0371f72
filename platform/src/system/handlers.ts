import type { systemRoutes } from '../../../shared/system/routes';
import type { HandlerTable } from '../handler';

export const systemHandlers: HandlerTable<typeof systemRoutes> = {
  health: async (ctx) => {
    await ctx.db.query('select 1');
    return { body: { status: 'ok' as const, database: ctx.db.kind, version: ctx.config.version } };
  },
};
