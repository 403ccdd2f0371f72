/** Session-wide guards: permissions, certificate errors, and the app:// protocol. */
import fs from 'node:fs/promises';
import { app, protocol, type Session } from 'electron';
import { APP_SCHEME } from '../security/baseline';
import { resolveAppRequest } from '../security/app-protocol';
import type { Logger } from '../logging/logger';
import { guardSession, refuseCertificateErrors } from './guards';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function applySessionSecurity(session: Session, rendererRoot: string, logger: Logger): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const res = resolveAppRequest(request.url, rendererRoot);
    if (res.status !== 200) return new Response(null, { status: res.status, headers: res.headers });
    try {
      const body = await fs.readFile(res.filePath);
      return new Response(body, { status: 200, headers: res.headers });
    } catch {
      return new Response(null, { status: 404, headers: res.headers });
    }
  });

  guardSession(session, logger);
  refuseCertificateErrors(app, logger);
}
