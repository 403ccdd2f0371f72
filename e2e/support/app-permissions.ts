/**
 * The permissions the test bridge grants the page, derived from the app's own permission policy
 * (main/security/baseline.ts), not written by hand: each permission Playwright can grant is put
 * to the same function Electron's permission handler calls, as a request from the app's top frame.
 * Chromium gathers ICE candidates differently with and without the microphone grant, so a test
 * page granted less (or more) than the app would not be testing the app.
 */
import { APP_ORIGIN, isPermissionGranted, type PermissionRequest } from '../../main/security/baseline';

/** Playwright's permission names and the request Electron's handler would see for each. */
const AS_ELECTRON_REQUEST: Readonly<Record<string, Pick<PermissionRequest, 'permission' | 'mediaTypes'>>> = {
  microphone: { permission: 'media', mediaTypes: ['audio'] },
  camera: { permission: 'media', mediaTypes: ['video'] },
  geolocation: { permission: 'geolocation' },
  notifications: { permission: 'notifications' },
  midi: { permission: 'midi' },
  'midi-sysex': { permission: 'midiSysex' },
  'background-sync': { permission: 'background-sync' },
  'ambient-light-sensor': { permission: 'sensors' },
  accelerometer: { permission: 'sensors' },
  gyroscope: { permission: 'sensors' },
  magnetometer: { permission: 'sensors' },
  'clipboard-read': { permission: 'clipboard-read' },
  'clipboard-write': { permission: 'clipboard-sanitized-write' },
  'payment-handler': { permission: 'payment-handler' },
  'storage-access': { permission: 'storage-access' },
  'local-fonts': { permission: 'local-fonts' },
  'local-network-access': { permission: 'local-network-access' },
  'screen-wake-lock': { permission: 'screen-wake-lock' },
};

/** The Playwright permissions the app grants its own top frame, sorted. */
export function appGrantedPermissions(policy: (req: PermissionRequest) => boolean = isPermissionGranted): string[] {
  return Object.entries(AS_ELECTRON_REQUEST)
    .filter(([, req]) => policy({ ...req, requestingUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true }))
    .map(([name]) => name)
    .sort();
}
