/** Renderer log entries, written by main under `renderer.<module>` and redacted again on the way. */
import { loggingIpc } from '../../shared/logging/ipc';
import type { DomainService, ServiceContext } from '../ipc/service';
import { createLogger } from './logger';

export function loggingService(ctx: ServiceContext): DomainService<typeof loggingIpc> {
  const rendererLog = createLogger(ctx.logSink, 'renderer', 'debug');
  return {
    ipc: loggingIpc,
    handlers: {
      write: (entry) => {
        rendererLog.child(`renderer.${entry.module}`)[entry.level](entry.message, entry.context);
        return null;
      },
    },
  };
}
