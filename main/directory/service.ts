/** Reference data in main (STUB: replaced by the directory service — fetch by version, cache on disk). */
import { directoryIpc } from '../../shared/directory/ipc';
import type { DomainService, ServiceContext } from '../ipc/service';

export function directoryService(_ctx: ServiceContext): DomainService<typeof directoryIpc> {
  const state = { data: null, fetchedAt: null, stale: true };
  return { ipc: directoryIpc, handlers: { reference: () => state, refresh: () => state } };
}
