/**
 * The security baseline of every workstation window, in one place (Electron security checklist,
 * ../shared/engineering/README.md §6). Everything here is plain data and pure decisions; the
 * Electron wiring in main/electron/ applies them. Unit tests pin each value so that weakening any
 * option fails the build.
 */
import { originOf } from '../ipc/registry';

export const APP_SCHEME = 'app';
export const APP_HOST = 'workstation';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** webPreferences for every BrowserWindow the app opens (the preload path is added per window). */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
  // A softphone must ring and keep its timers accurate while minimised or hidden.
  backgroundThrottling: false,
  disableBlinkFeatures: 'Auxclick',
} as const);

export type SecureWebPreferences = typeof SECURE_WEB_PREFERENCES & { preload: string };

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return { ...SECURE_WEB_PREFERENCES, preload };
}

/** Lists how `prefs` deviates from the baseline (empty when it complies). */
export function baselineViolations(prefs: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, expected] of Object.entries(SECURE_WEB_PREFERENCES)) {
    if (prefs[key] !== expected) out.push(`${key} must be ${JSON.stringify(expected)}`);
  }
  for (const forbidden of ['enableBlinkFeatures', 'additionalArguments', 'partition']) {
    if (prefs[forbidden] !== undefined) out.push(`${forbidden} must not be set`);
  }
  if (typeof prefs.preload !== 'string' || !prefs.preload.endsWith('.cjs')) {
    out.push('preload must be the bundled CommonJS preload');
  }
  return out;
}

/**
 * Content-Security-Policy for the app's pages. Styles allow 'unsafe-inline' because antd injects
 * its CSS-in-JS at run time; scripts are 'self' only. connect-src allows WebSockets for SIP.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "media-src 'self' blob: mediastream:",
  "worker-src 'self' blob:",
  "manifest-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
});

export interface PermissionRequest {
  permission: string;
  /** Origin of the requesting frame. */
  requestingUrl: string;
  isMainFrame: boolean;
  /** For 'media': which kinds are asked for. */
  mediaTypes?: readonly string[];
}

/**
 * The permission table: the microphone (media of type audio) for the app's own top frame,
 * nothing else for anyone. Camera, geolocation, notifications from web content, HID prompts… denied.
 */
export function isPermissionGranted(req: PermissionRequest, appOrigin = APP_ORIGIN): boolean {
  if (originOf(req.requestingUrl) !== appOrigin || !req.isMainFrame) return false;
  if (req.permission === 'media') {
    // Stryker disable next-line ArrayDeclaration: no list and a list without 'audio' are refused alike.
    const types = req.mediaTypes ?? [];
    return types.length > 0 && types.every((t) => t === 'audio');
  }
  // Enumerating/choosing audio output devices (headset vs ringer) is part of the media grant;
  // the SIP server is on the city's private network (Chromium's Local Network Access).
  return APP_EXTRA_PERMISSIONS.has(req.permission);
}

/** Granted to the app's own top frame besides audio capture. */
export const APP_EXTRA_PERMISSIONS: ReadonlySet<string> = new Set(['speaker-selection', 'local-network-access', 'local-network', 'loopback-network']);

/** Permission *checks* (synchronous queries) follow the same table, plus WebHID for headset buttons (devices filtered below). */
export function isPermissionCheckGranted(permission: string, requestingOrigin: string, appOrigin = APP_ORIGIN): boolean {
  if (
    originOf(requestingOrigin) !== appOrigin &&
    // Stryker disable next-line ConditionalExpression: originOf(appOrigin) is appOrigin for an origin, so this clause never decides alone.
    requestingOrigin !== appOrigin
  )
    return false;
  return permission === 'media' || permission === 'hid' || APP_EXTRA_PERMISSIONS.has(permission);
}

/** HID usage page of telephony devices (hook switch, phone mute…): headsets and desk phones. */
export const TELEPHONY_USAGE_PAGE = 0x0b;

export interface HidDeviceInfo {
  readonly collections?: readonly { readonly usagePage: number }[];
}

/**
 * Which HID devices the app may open: telephony devices only (a keyboard or a security key is
 * never exposed to the page), for the app's own origin only.
 */
export function isHidDeviceAllowed(device: HidDeviceInfo, origin: string, appOrigin = APP_ORIGIN): boolean {
  if (
    originOf(origin) !== appOrigin &&
    // Stryker disable next-line ConditionalExpression: originOf(appOrigin) is appOrigin for an origin, so this clause never decides alone.
    origin !== appOrigin
  )
    return false;
  return (device.collections ?? []).some((c) => c.usagePage === TELEPHONY_USAGE_PAGE);
}

/** In-app navigation is never allowed: the app is one page. Reloading the same page is. */
export function isNavigationAllowed(url: string, appOrigin = APP_ORIGIN): boolean {
  return originOf(url) === appOrigin && new URL(url).pathname === '/index.html';
}

/** Schemes that may be handed to the OS (browser, mail client). Everything else is dropped. */
export const EXTERNAL_SCHEMES = Object.freeze(['https:', 'mailto:']);

export function isExternalUrlAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    if (!EXTERNAL_SCHEMES.includes(u.protocol)) return false;
    if (u.username || u.password) return false;
    return url.length <= 2048;
  } catch {
    return false;
  }
}

/** TLS certificate errors are never accepted — not for SIP over WSS, not for the platform. */
export function acceptCertificateError(): false {
  return false;
}
