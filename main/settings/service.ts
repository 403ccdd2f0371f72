/** The settings document in main: read, change, reset; every change is pushed to the renderer. */
import { settingsIpc } from '../../shared/settings/ipc';
import type { DomainService, ServiceContext } from '../ipc/service';

export function settingsService(ctx: ServiceContext): DomainService<typeof settingsIpc> {
  const { settings } = ctx;
  const off = settings.onChanged((next) => ctx.emit(settingsIpc.onChanged, next));
  return {
    ipc: settingsIpc,
    handlers: {
      getAll: () => settings.getAll(),
      get: ({ section }) => settings.get(section),
      set: (update) => settings.set(update),
      reset: ({ section }) => settings.reset(section),
      notices: () => settings.notices(),
    },
    dispose: off,
  };
}
