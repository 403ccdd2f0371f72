/**
 * Pins the security baseline. If any option is weakened (here or where windows are created),
 * these tests fail. See ../shared/engineering/README.md §6 for the checklist.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  SECURITY_HEADERS,
  SECURE_WEB_PREFERENCES,
  acceptCertificateError,
  baselineViolations,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isHidDeviceAllowed,
  isPermissionCheckGranted,
  isPermissionGranted,
  secureWebPreferences,
} from '../../main/security/baseline';
import type * as Baseline from '../../main/security/baseline';

const ROOT = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('window security baseline', () => {
  it('is exactly the hardened set of webPreferences', () => {
    expect(SECURE_WEB_PREFERENCES).toEqual({
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
      backgroundThrottling: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
    expect(baselineViolations(secureWebPreferences('/app/out/preload/index.cjs'))).toEqual([]);
  });

  it('detects every weakened option', () => {
    const good = secureWebPreferences('/x/index.cjs');
    for (const [key, value] of Object.entries(SECURE_WEB_PREFERENCES)) {
      const weakened = { ...good, [key]: typeof value === 'boolean' ? !value : '' };
      expect(baselineViolations(weakened), key).toContain(`${key} must be ${JSON.stringify(value)}`);
    }
    expect(baselineViolations({ ...good, enableBlinkFeatures: 'X' })).toContain('enableBlinkFeatures must not be set');
    expect(baselineViolations({ ...good, preload: '/x/index.mjs' })).toHaveLength(1);
  });

  it('every BrowserWindow in main/ is created with the baseline preferences', () => {
    const creations = sourceFiles(path.join(ROOT, 'main')).flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const found: string[] = [];
      const re = /new BrowserWindow\(/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text))) found.push(text.slice(m.index, m.index + 600));
      return found.map((snippet) => ({ file, snippet }));
    });
    expect(creations.length).toBeGreaterThan(0);
    for (const { file, snippet } of creations) {
      expect(snippet, path.relative(ROOT, file)).toMatch(/webPreferences:\s*secureWebPreferences\(/);
    }
    // And nobody overrides webPreferences after the fact or opens other content types.
    for (const file of sourceFiles(path.join(ROOT, 'main'))) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/);
      expect(text, file).not.toMatch(/loadFile\(|loadURL\(\s*['"`]file:/);
      expect(text, file).not.toMatch(/callback\(true\)/);
    }
  });
});

describe('content security policy', () => {
  it('is exactly the agreed policy, directive by directive (a widened source list fails)', () => {
    const directives = CONTENT_SECURITY_POLICY.split('; ').map((d) => d.split(' '));
    // Each directive once, in this order, with exactly these sources.
    expect(directives).toEqual([
      ['default-src', "'none'"],
      ['script-src', "'self'"],
      ['style-src', "'self'", "'unsafe-inline'"],
      ['img-src', "'self'", 'data:', 'blob:'],
      ['font-src', "'self'", 'data:'],
      ['connect-src', "'self'", 'ws:', 'wss:'],
      ['media-src', "'self'", 'blob:', 'mediastream:'],
      ['worker-src', "'self'", 'blob:'],
      ['manifest-src', "'none'"],
      ['object-src', "'none'"],
      ['base-uri', "'none'"],
      ['form-action', "'none'"],
      ['frame-src', "'none'"],
      ['frame-ancestors', "'none'"],
    ]);
    expect(SECURITY_HEADERS).toEqual({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
    });
    expect(Object.isFrozen(SECURITY_HEADERS)).toBe(true);
  });

  it('allows scripts only from the app itself and no framing, objects or forms', () => {
    const csp = CONTENT_SECURITY_POLICY;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'"]) expect(csp).toContain(d);
  });

  it('is also set as a meta tag in index.html (same policy, minus directives meta cannot carry)', () => {
    const html = fs.readFileSync(path.join(ROOT, 'renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    const expected = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
    expect(meta).toBe(expected);
  });
});

describe('permissions', () => {
  const app = { requestingUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true };
  it('grants the microphone to the app window only', () => {
    expect(isPermissionGranted({ ...app, permission: 'media', mediaTypes: ['audio'] })).toBe(true);
    expect(isPermissionGranted({ ...app, permission: 'media', mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(isPermissionGranted({ ...app, permission: 'media', mediaTypes: ['video'] })).toBe(false);
    expect(isPermissionGranted({ ...app, permission: 'media', mediaTypes: [] })).toBe(false);
    expect(isPermissionGranted({ ...app, permission: 'media', mediaTypes: ['audio'], isMainFrame: false })).toBe(false);
    expect(isPermissionGranted({ permission: 'media', mediaTypes: ['audio'], requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
  });
  it('lets the app (only) reach the SIP server on the local network', () => {
    expect(isPermissionGranted({ ...app, permission: 'local-network-access' })).toBe(true);
    expect(isPermissionGranted({ permission: 'local-network-access', requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isPermissionGranted({ ...app, permission: 'local-network-access', isMainFrame: false })).toBe(false);
  });

  it('denies everything else', () => {
    for (const p of ['geolocation', 'notifications', 'midi', 'midiSysex', 'hid', 'serial', 'usb', 'clipboard-read', 'display-capture', 'openExternal', 'pointerLock', 'fullscreen']) {
      expect(isPermissionGranted({ ...app, permission: p }), p).toBe(false);
      if (p !== 'hid') expect(isPermissionCheckGranted(p, APP_ORIGIN), p).toBe(false);
    }
    expect(isPermissionCheckGranted('hid', 'https://evil.example')).toBe(false);
    expect(isPermissionCheckGranted('media', 'https://evil.example')).toBe(false);
    expect(isPermissionCheckGranted('media', APP_ORIGIN)).toBe(true);
  });
});

describe('HID devices', () => {
  it('exposes telephony devices (headset buttons) to the app only, never keyboards or security keys', () => {
    const headset = { collections: [{ usagePage: 0x0c }, { usagePage: 0x0b }] };
    expect(isHidDeviceAllowed(headset, APP_ORIGIN)).toBe(true);
    expect(isHidDeviceAllowed(headset, 'https://evil.example')).toBe(false);
    expect(isHidDeviceAllowed({ collections: [{ usagePage: 0x01 }] }, APP_ORIGIN)).toBe(false);
    expect(isHidDeviceAllowed({ collections: [{ usagePage: 0xf1d0 }] }, APP_ORIGIN)).toBe(false);
    expect(isHidDeviceAllowed({}, APP_ORIGIN)).toBe(false);
  });
});

describe('navigation, new windows, external links, certificates', () => {
  it('allows only reloading the app page', () => {
    expect(isNavigationAllowed(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isNavigationAllowed('https://example.com/')).toBe(false);
    expect(isNavigationAllowed(`${APP_ORIGIN}/other.html`)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd')).toBe(false);
  });
  it('hands only https and mailto links to the OS', () => {
    expect(isExternalUrlAllowed('https://www.gov.cn/')).toBe(true);
    expect(isExternalUrlAllowed('mailto:ops@hotline.example')).toBe(true);
    for (const bad of ['http://x.cn', 'file:///c:/windows/system32/calc.exe', 'smb://host/share', 'javascript:alert(1)', 'ms-msdt:/id', 'https://user:pw@x.cn/', 'not a url']) {
      expect(isExternalUrlAllowed(bad), bad).toBe(false);
    }
  });
  it('hands links of up to 2,048 characters to the OS, not longer ones', () => {
    const of = (length: number, base: string) => base + 'a'.repeat(length - base.length);
    for (const base of ['https://www.gov.cn/?q=', 'mailto:ops@hotline.example?subject=']) {
      expect(of(2048, base)).toHaveLength(2048);
      expect(isExternalUrlAllowed(of(2047, base)), `${base} 2047`).toBe(true);
      expect(isExternalUrlAllowed(of(2048, base)), `${base} 2048`).toBe(true);
      expect(isExternalUrlAllowed(of(2049, base)), `${base} 2049`).toBe(false);
      expect(isExternalUrlAllowed(of(100_000, base)), `${base} 100000`).toBe(false);
    }
  });
  it('never accepts a certificate error', () => {
    expect(acceptCertificateError()).toBe(false);
  });
});

describe('packaging', () => {
  it('sets the Electron fuses that close run-as-node and code injection', () => {
    const cfg = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    expect(cfg.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(cfg.asar).toBe(true);
  });
});

describe('the test bridge grants what the app grants', () => {
  it('derives its permissions from the app permission policy', async () => {
    const { appGrantedPermissions } = await import('../../e2e/support/app-permissions');
    expect(appGrantedPermissions()).toEqual(['local-network-access', 'microphone']);
    // The same function, not a copy: a policy that also allowed the camera would grant it.
    const { isPermissionGranted } = await import('../../main/security/baseline');
    const looser = (req: Parameters<typeof isPermissionGranted>[0]) => isPermissionGranted(req) || (req.permission === 'media' && req.mediaTypes?.[0] === 'video');
    expect(appGrantedPermissions(looser)).toEqual(['camera', 'local-network-access', 'microphone']);
  });
});

/**
 * The policy values are built when the module loads; these tests load a fresh copy of it
 * (vi.resetModules + import) so that its own code runs inside them.
 */
describe('baseline values (module loaded in the test)', () => {
  let b: typeof Baseline;
  beforeEach(async () => {
    vi.resetModules();
    b = await import('../../main/security/baseline');
  });

  it('names the app page and origin', () => {
    expect(b.APP_ORIGIN).toBe('app://workstation');
    expect(b.APP_ENTRY_URL).toBe('app://workstation/index.html');
  });

  it('sends exactly the agreed policy and headers', () => {
    expect(b.CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:; worker-src 'self' blob:; manifest-src 'none'; object-src 'none'; " +
        "base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'",
    );
    expect({ ...b.SECURITY_HEADERS }).toEqual({
      'Content-Security-Policy': b.CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
    });
  });

  it('grants exactly these extra permissions to the app’s top frame, and answers checks for them', () => {
    expect([...b.APP_EXTRA_PERMISSIONS]).toEqual(['speaker-selection', 'local-network-access', 'local-network', 'loopback-network']);
    const app = { requestingUrl: `${b.APP_ORIGIN}/index.html`, isMainFrame: true };
    for (const p of ['speaker-selection', 'local-network-access', 'local-network', 'loopback-network']) {
      expect(b.isPermissionGranted({ ...app, permission: p }), p).toBe(true);
      expect(b.isPermissionCheckGranted(p, b.APP_ORIGIN), p).toBe(true);
      expect(b.isPermissionCheckGranted(p, 'https://evil.example'), p).toBe(false);
    }
    expect(b.isPermissionGranted({ ...app, permission: '' })).toBe(false);
    expect(b.isPermissionCheckGranted('', b.APP_ORIGIN)).toBe(false);
  });

  it('hands exactly https and mailto links to the OS', () => {
    expect([...b.EXTERNAL_SCHEMES]).toEqual(['https:', 'mailto:']);
    expect(b.isExternalUrlAllowed('https://www.gov.cn/')).toBe(true);
    expect(b.isExternalUrlAllowed('mailto:ops@hotline.example')).toBe(true);
  });
});

describe('window preferences that must never be set', () => {
  it('names each of them', () => {
    const good = secureWebPreferences('/x/index.cjs');
    expect(baselineViolations({ ...good, additionalArguments: ['--inspect'] })).toEqual(['additionalArguments must not be set']);
    expect(baselineViolations({ ...good, partition: 'persist:other' })).toEqual(['partition must not be set']);
    expect(baselineViolations({ ...good, enableBlinkFeatures: 'X' })).toEqual(['enableBlinkFeatures must not be set']);
  });
  it('requires the bundled CommonJS preload', () => {
    const good = secureWebPreferences('/x/index.cjs');
    expect(baselineViolations({ ...good, preload: '/x/index.mjs' })).toEqual(['preload must be the bundled CommonJS preload']);
    expect(baselineViolations({ ...good, preload: undefined })).toEqual(['preload must be the bundled CommonJS preload']);
  });
});

describe('checks by a full URL of the requester', () => {
  it('accept the app page’s URL as well as its origin, and nothing else', () => {
    expect(isPermissionCheckGranted('media', `${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isPermissionCheckGranted('hid', `${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isPermissionCheckGranted('media', 'https://evil.example/index.html')).toBe(false);
    expect(isPermissionCheckGranted('media', 'app://elsewhere/index.html')).toBe(false);
    const headset = { collections: [{ usagePage: 0x0b }] };
    expect(isHidDeviceAllowed(headset, `${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isHidDeviceAllowed(headset, 'https://evil.example/index.html')).toBe(false);
    expect(isHidDeviceAllowed(headset, 'app://elsewhere')).toBe(false);
  });
});

describe('external links with credentials', () => {
  it('are refused with a user name alone or a password alone', () => {
    expect(isExternalUrlAllowed('https://user@www.gov.cn/')).toBe(false);
    expect(isExternalUrlAllowed('https://:pw@www.gov.cn/')).toBe(false);
    expect(isExternalUrlAllowed('https://user:pw@www.gov.cn/')).toBe(false);
  });
});
