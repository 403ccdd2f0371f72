import path from 'node:path';
import Conf from 'conf';
import { SettingsService, type DocumentStore } from '../../main/settings/settings-service';
import { createLogger, MemorySink } from '../../main/logging/logger';

export function openSettings(dir: string, sink = new MemorySink()) {
  const service = new SettingsService({
    open: () =>
      new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', clearInvalidConfig: false }) as unknown as DocumentStore,
    filePath: path.join(dir, 'settings.json'),
    logger: createLogger(sink),
    now: () => Date.UTC(2026, 10, 25, 9, 0, 0),
  });
  return { service, sink };
}
