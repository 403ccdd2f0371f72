/** Session-wide guards: permissions, certificate errors, and the app:// protocol. */
import fs from 'node:fs/promises';
import { app, protocol, type Session } from 'electron';
import {
  APP_SCHEME,
  acceptCertificateError,
  isHidDeviceAllowed,
  isPermissionCheckGranted,
  type HidDeviceInfo,
  isPermissionGranted,
} from '../security/baseline';
import { resolveAppRequest } from '../security/app-protocol';
import type { Logger } from '../logging/logger';

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

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionGranted({
      permission,
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
      mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
    });
    if (!granted) logger.warn('permission denied', { permission });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionCheckGranted(permission, requestingOrigin),
  );
  // Device access: telephony HID devices (headset hook buttons) for the app only; no serial,
  // USB or Bluetooth. The page's requestDevice() picks the first telephony headset without a prompt.
  session.setDevicePermissionHandler((details) => details.deviceType === 'hid' && isHidDeviceAllowed(details.device as HidDeviceInfo, details.origin));
  session.on('select-hid-device', (event, details, callback) => {
    event.preventDefault();
    const origin = details.frame?.origin ?? '';
    const device = details.deviceList.find((d) => isHidDeviceAllowed(d, origin));
    callback(device?.deviceId ?? null);
  });

  app.on('certificate-error', (event, _contents, _url, error, _cert, callback) => {
    event.preventDefault();
    logger.warn('TLS certificate rejected', { error });
    callback(acceptCertificateError());
  });
}
