/** Renderer logging goes to main's log files (redacted there); never to a remote console. */
import { bridge } from '../ipc/bridge';
import type { LogLevel } from '../../../shared/logging/ipc';

export function createRendererLogger(module: string) {
  const write = (level: LogLevel) => (message: string, context?: Record<string, unknown>) => {
    void bridge()
      .logging.write({ level, module, message: message.slice(0, 2000), context })
      .catch(() => undefined);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
