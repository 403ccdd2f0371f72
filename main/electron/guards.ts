/**
 * The guards the Electron edge installs, written against small structural interfaces instead of
 * Electron's classes: this module imports nothing from `electron`, so unit tests drive it with
 * plain fakes (test/unit/electron-guards.test.ts) and the start-up test checks that main/index.ts
 * and main/electron/* install it on the real objects. The decisions themselves are in
 * ../security/baseline.ts; this is where they meet web contents, sessions and IPC events.
 */
import type { Logger } from '../logging/logger';
import type { SenderInfo } from '../ipc/registry';
import {
  acceptCertificateError,
  isExternalUrlAllowed,
  isHidDeviceAllowed,
  isNavigationAllowed,
  isPermissionCheckGranted,
  isPermissionGranted,
  type HidDeviceInfo,
} from '../security/baseline';

/** The cancellable `event` of an Electron event. */
export interface GuardEvent {
  preventDefault(): void;
}

/** The part of Electron's `WebContents` the guards use. */
export interface GuardableWebContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: GuardEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: GuardEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface WebContentsGuardDeps {
  logger: Logger;
  /** Hands a URL to the OS (Electron's `shell.openExternal`); called only for allowed URLs. */
  openExternal: (url: string) => unknown;
}

/**
 * No navigation away from the app page, no redirects, no <webview>, no new windows: window.open
 * and target=_blank links go to the OS browser when the baseline allows the URL, else nowhere.
 */
export function guardWebContents(contents: GuardableWebContents, deps: WebContentsGuardDeps): void {
  const { logger } = deps;
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) {
      event.preventDefault();
      logger.warn('navigation denied', { scheme: safeScheme(url) });
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) {
      event.preventDefault();
      logger.warn('redirect denied', { scheme: safeScheme(url) });
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview denied');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalUrlAllowed(url)) void deps.openExternal(url);
    else logger.warn('window.open denied', { scheme: safeScheme(url) });
    return { action: 'deny' };
  });
}

/** What a permission request tells about its requester (Electron's `details`). */
export interface PermissionRequestDetails {
  requestingUrl: string;
  isMainFrame: boolean;
  mediaTypes?: readonly string[];
}

export interface DevicePermissionDetails {
  deviceType: string;
  origin: string;
  device: unknown;
}

export interface SelectHidDeviceDetails {
  frame?: { origin: string } | null;
  deviceList: readonly (HidDeviceInfo & { deviceId: string })[];
}

/** The part of Electron's `Session` the guards use. */
export interface GuardableSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean): void;
  setDevicePermissionHandler(handler: (details: DevicePermissionDetails) => boolean): void;
  on(event: 'select-hid-device', listener: (event: GuardEvent, details: SelectHidDeviceDetails, callback: (deviceId?: string | null) => void) => void): unknown;
}

/**
 * Permissions follow the baseline's table, decided on the requester's own URL or origin (never an
 * assumed one): the microphone and the extra grants for the app's top frame, WebHID telephony
 * devices for the app's origin, nothing for anyone else.
 */
export function guardSession(session: GuardableSession, logger: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionGranted({
      permission,
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
      mediaTypes: details.mediaTypes,
    });
    if (!granted) logger.warn('permission denied', { permission });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionCheckGranted(permission, requestingOrigin));
  // Device access: telephony HID devices (headset hook buttons) for the app only; no serial,
  // USB or Bluetooth. The page's requestDevice() picks the first telephony headset without a prompt.
  session.setDevicePermissionHandler((details) => details.deviceType === 'hid' && isHidDeviceAllowed(details.device as HidDeviceInfo, details.origin));
  session.on('select-hid-device', (event, details, callback) => {
    event.preventDefault();
    // Stryker disable next-line StringLiteral: without a frame any non-origin text is refused alike ('' is only the plainest).
    const origin = details.frame?.origin ?? '';
    const device = details.deviceList.find((d) => isHidDeviceAllowed(d, origin));
    callback(device?.deviceId ?? null);
  });
}

/** The part of Electron's `app` that reports TLS certificate errors. */
export interface CertificateErrorSource {
  on(
    event: 'certificate-error',
    listener: (event: GuardEvent, contents: unknown, url: string, error: string, certificate: unknown, callback: (isTrusted: boolean) => void) => void,
  ): unknown;
}

/** Every TLS certificate error is refused (SIP over WSS and the platform alike) and logged. */
export function refuseCertificateErrors(app: CertificateErrorSource, logger: Logger): void {
  app.on('certificate-error', (event, _contents, url, error, _certificate, callback) => {
    event.preventDefault();
    logger.warn('TLS certificate rejected', { error, scheme: safeScheme(url) });
    callback(acceptCertificateError());
  });
}

/** The frame an IPC request came from (Electron's `event.senderFrame`; null once it is gone). */
export interface IpcSenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * Who sent an IPC request, from the request's own frame: its URL, and whether it is a top frame
 * (no parent). A request whose frame is gone is from nobody the registry trusts.
 */
export function ipcSenderOf(event: { readonly senderFrame?: IpcSenderFrame | null }): SenderInfo {
  const frame = event.senderFrame;
  if (!frame) return { url: '', isTopFrame: false };
  return { url: frame.url, isTopFrame: frame.parent === null };
}

function safeScheme(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'invalid';
  }
}
