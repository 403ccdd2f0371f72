/**
 * The session with the central platform in main. Tokens stay here; the renderer sees only the
 * session's state. The client is also what other domains use to call the platform.
 */
import path from 'node:path';
import { sessionIpc } from '../../shared/session/ipc';
import { channelError, type DomainService, type ServiceContext } from '../ipc/service';
import { installationId } from './installation-id';
import { PlatformClient, PlatformError } from './platform-client';

export interface SessionService extends DomainService<typeof sessionIpc> {
  readonly client: PlatformClient;
}

export function sessionService(ctx: ServiceContext, fetchImpl?: typeof fetch): SessionService {
  const client = new PlatformClient({
    secrets: ctx.secrets,
    sessionFile: path.join(ctx.userDataDir, 'platform-session.json'),
    clientId: installationId(ctx.userDataDir),
    logger: ctx.logger,
    fetch: fetchImpl,
  });
  client.onStatus((s) => ctx.emit(sessionIpc.onStatusChanged, s));
  void client.resume().catch(() => undefined);
  return {
    ipc: sessionIpc,
    client,
    handlers: {
      status: () => client.status(),
      signIn: async ({ baseUrl, account, password, rememberAccount }) => {
        try {
          const status = await client.signIn({ baseUrl, account, password });
          ctx.settings.set({ section: 'platform', value: { baseUrl: status.baseUrl ?? baseUrl, rememberedAccount: rememberAccount ? account : '' } });
          return status;
        } catch (error) {
          if (error instanceof PlatformError && error.code !== 'session_expired') throw channelError(sessionIpc.signIn, error.code, error.message);
          throw error;
        }
      },
      signOut: () => client.signOut(),
    },
    dispose: () => client.dispose(),
  };
}
