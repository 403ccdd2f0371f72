/**
 * Behaviour of the guards the Electron edge installs (main/electron/guards.ts), driven through
 * plain fakes of web contents, sessions, the app and IPC events: each test fires what Electron
 * would fire and checks what the guard did — not what the source text looks like. The start-up
 * test (electron-startup.test.ts) checks that main/index.ts installs these on the real objects.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { guardSession, guardWebContents, ipcSenderOf, refuseCertificateErrors } from '../../main/electron/guards';
import { IpcRegistry } from '../../main/ipc/registry';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../main/security/baseline';
import { FakeSession, FakeWebContents, fakeEvent, subFrame, topFrame } from '../helpers/electron-stand-in';

const FOREIGN = 'https://evil.example';
const HEADSET = { collections: [{ usagePage: 0x0c }, { usagePage: 0x0b }] };
const KEYBOARD = { collections: [{ usagePage: 0x01 }] };

function logged() {
  const sink = new MemorySink();
  return { sink, logger: createLogger(sink, 'main', 'debug') };
}

function guardedContents() {
  const { sink, logger } = logged();
  const contents = new FakeWebContents();
  const openExternal = vi.fn((_url: string) => Promise.resolve());
  guardWebContents(contents, { logger, openExternal });
  const fire = (name: 'will-navigate' | 'will-redirect', url: string) => {
    const event = fakeEvent();
    contents.emit(name, event, url);
    return event.defaultPrevented;
  };
  const open = (url: string) => contents.windowOpenHandler!({ url, frameName: '', features: '', disposition: 'foreground-tab' });
  return { contents, sink, openExternal, fire, open };
}

/** An https URL of exactly `length` characters. */
function httpsUrlOfLength(length: number): string {
  const base = 'https://www.gov.cn/?q=';
  return base + 'a'.repeat(length - base.length);
}

describe('web contents guards', () => {
  it('cancels every navigation away from the app page, and logs only the scheme', () => {
    const { contents, sink, fire } = guardedContents();
    expect(contents.listenerCount('will-navigate')).toBe(1);
    for (const url of ['https://example.com/', 'file:///etc/passwd', `${APP_ORIGIN}/other.html`, 'app://elsewhere/index.html', 'javascript:alert(1)', 'not a url']) {
      expect(fire('will-navigate', url), url).toBe(true);
    }
    expect(fire('will-navigate', APP_ENTRY_URL)).toBe(false);
    expect(sink.entries.filter((e) => e.message === 'navigation denied').map((e) => e.context)).toEqual([
      { scheme: 'https:' },
      { scheme: 'file:' },
      { scheme: 'app:' },
      { scheme: 'app:' },
      { scheme: 'javascript:' },
      { scheme: 'invalid' },
    ]);
  });

  it('cancels every redirect away from the app page', () => {
    const { contents, fire } = guardedContents();
    expect(contents.listenerCount('will-redirect')).toBe(1);
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(fire('will-redirect', `${APP_ORIGIN}/other.html`)).toBe(true);
    expect(fire('will-redirect', APP_ENTRY_URL)).toBe(false);
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = guardedContents();
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, { nodeIntegration: true }, { src: 'https://example.com/' });
    expect(event.defaultPrevented).toBe(true);
  });

  it('never opens a window, and hands only allowlisted links to the OS', () => {
    const { open, openExternal, sink } = guardedContents();
    const urls = [
      'https://www.gov.cn/',
      'mailto:ops@hotline.example',
      'http://www.gov.cn/',
      'file:///c:/windows/system32/calc.exe',
      'smb://host/share',
      'javascript:alert(1)',
      'https://user:pw@www.gov.cn/',
      APP_ENTRY_URL,
    ];
    for (const url of urls) expect(open(url), url).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map(([u]) => u)).toEqual(['https://www.gov.cn/', 'mailto:ops@hotline.example']);
    expect(sink.entries.filter((e) => e.message === 'window.open denied')).toHaveLength(urls.length - 2);
  });

  it('hands a link of up to 2,048 characters to the OS, not one of 2,049', () => {
    const { open, openExternal } = guardedContents();
    const atLimit = httpsUrlOfLength(2048);
    const overLimit = httpsUrlOfLength(2049);
    expect([atLimit.length, overLimit.length]).toEqual([2048, 2049]);
    expect(open(atLimit)).toEqual({ action: 'deny' });
    expect(open(overLimit)).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map(([u]) => u)).toEqual([atLimit]);
  });
});

describe('web contents guards: what they log', () => {
  it('logs each refusal under its own name with the URL’s scheme only', () => {
    const { contents, sink, fire, open } = guardedContents();
    fire('will-redirect', 'https://example.com/private?token=1');
    fire('will-redirect', 'not a url');
    contents.emit('will-attach-webview', fakeEvent(), {}, { src: 'https://example.com/' });
    open('file:///etc/passwd');
    open('javascript:alert(1)');
    expect(sink.entries.map((e) => [e.message, e.context])).toEqual([
      ['redirect denied', { scheme: 'https:' }],
      ['redirect denied', { scheme: 'invalid' }],
      ['webview denied', undefined],
      ['window.open denied', { scheme: 'file:' }],
      ['window.open denied', { scheme: 'javascript:' }],
    ]);
  });
});

describe('session guards', () => {
  function guardedSession() {
    const { sink, logger } = logged();
    const session = new FakeSession();
    guardSession(session, logger);
    const contents = new FakeWebContents();
    const ask = (permission: string, requestingUrl: string, options: { mediaTypes?: string[]; isMainFrame?: boolean } = {}) => {
      const answers: boolean[] = [];
      session.permissionRequestHandler!(contents, permission, (granted) => answers.push(granted), {
        requestingUrl,
        isMainFrame: options.isMainFrame ?? true,
        mediaTypes: options.mediaTypes,
      });
      expect(answers, `exactly one answer to ${permission} from ${requestingUrl}`).toHaveLength(1);
      return answers[0];
    };
    const check = (permission: string, requestingOrigin: string) => session.permissionCheckHandler!(contents, permission, requestingOrigin, {});
    const device = (deviceType: string, origin: string, dev: unknown) => session.devicePermissionHandler!({ deviceType, origin, device: dev });
    return { session, sink, ask, check, device };
  }

  it('grants the microphone to the app’s own top frame only, judged by the requesting URL', () => {
    const { ask, sink } = guardedSession();
    expect(ask('media', APP_ENTRY_URL, { mediaTypes: ['audio'] })).toBe(true);
    expect(ask('media', `${FOREIGN}/index.html`, { mediaTypes: ['audio'] })).toBe(false);
    expect(ask('media', 'app://elsewhere/index.html', { mediaTypes: ['audio'] })).toBe(false);
    expect(ask('media', APP_ENTRY_URL, { mediaTypes: ['audio'], isMainFrame: false })).toBe(false);
    expect(ask('media', APP_ENTRY_URL, { mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(ask('media', APP_ENTRY_URL, { mediaTypes: ['video'] })).toBe(false);
    expect(ask('media', APP_ENTRY_URL)).toBe(false);
    expect(sink.entries.filter((e) => e.message === 'permission denied')).toHaveLength(6);
    expect(sink.entries.filter((e) => e.message === 'permission denied').map((e) => e.context)).toEqual(Array(6).fill({ permission: 'media' }));
  });

  it('grants the app’s extra permissions to the app only and refuses everything else', () => {
    const { ask } = guardedSession();
    expect(ask('local-network-access', APP_ENTRY_URL)).toBe(true);
    expect(ask('speaker-selection', APP_ENTRY_URL)).toBe(true);
    expect(ask('local-network-access', `${FOREIGN}/`)).toBe(false);
    for (const p of ['geolocation', 'notifications', 'hid', 'serial', 'usb', 'clipboard-read', 'display-capture', 'openExternal', 'fullscreen']) {
      expect(ask(p, APP_ENTRY_URL), p).toBe(false);
    }
  });

  it('answers permission checks by the requesting origin', () => {
    const { check } = guardedSession();
    expect(check('media', APP_ORIGIN)).toBe(true);
    expect(check('hid', APP_ORIGIN)).toBe(true);
    expect(check('media', FOREIGN)).toBe(false);
    expect(check('hid', FOREIGN)).toBe(false);
    expect(check('media', 'app://elsewhere')).toBe(false);
    expect(check('media', '')).toBe(false);
    expect(check('geolocation', APP_ORIGIN)).toBe(false);
    expect(check('notifications', APP_ORIGIN)).toBe(false);
  });

  it('lets only the app open telephony HID devices, and no other kind of device', () => {
    const { device } = guardedSession();
    expect(device('hid', APP_ORIGIN, HEADSET)).toBe(true);
    expect(device('hid', FOREIGN, HEADSET)).toBe(false);
    expect(device('hid', APP_ORIGIN, KEYBOARD)).toBe(false);
    for (const type of ['usb', 'serial', 'bluetooth']) expect(device(type, APP_ORIGIN, HEADSET), type).toBe(false);
  });

  it('picks a telephony headset in the HID chooser for the app, and nothing for anyone else', () => {
    const { session } = guardedSession();
    const choose = (frame: { origin: string } | null) => {
      const event = fakeEvent();
      const picked: (string | null | undefined)[] = [];
      session.emit(
        'select-hid-device',
        event,
        { frame, deviceList: [{ deviceId: 'kbd', ...KEYBOARD }, { deviceId: 'headset', ...HEADSET }] },
        (id?: string | null) => picked.push(id),
      );
      expect(event.defaultPrevented, 'no chooser is shown').toBe(true);
      expect(picked).toHaveLength(1);
      return picked[0];
    };
    expect(choose({ origin: APP_ORIGIN })).toBe('headset');
    expect(choose({ origin: FOREIGN })).toBeNull();
    expect(choose(null)).toBeNull();
  });
});

describe('certificate errors', () => {
  it('refuses every TLS certificate error and logs it without the URL', () => {
    const { sink, logger } = logged();
    const app = new EventEmitter();
    refuseCertificateErrors(app, logger);
    const answers: boolean[] = [];
    const event = fakeEvent();
    app.emit('certificate-error', event, new FakeWebContents(), 'wss://sip.example/ws?user=1001', 'net::ERR_CERT_AUTHORITY_INVALID', {}, (ok: boolean) =>
      answers.push(ok),
    );
    expect(event.defaultPrevented).toBe(true);
    expect(answers).toEqual([false]);
    expect(sink.entries.filter((e) => e.message === 'TLS certificate rejected').map((e) => e.context)).toEqual([
      { error: 'net::ERR_CERT_AUTHORITY_INVALID', scheme: 'wss:' },
    ]);
  });
});

describe('IPC sender', () => {
  const registry = new IpcRegistry(APP_ORIGIN, createLogger(new MemorySink()));
  const trusted = (frame: ReturnType<typeof topFrame> | null) => registry.isTrustedSender(ipcSenderOf({ senderFrame: frame }));

  it('is the request’s own frame: its URL and whether it has a parent', () => {
    expect(ipcSenderOf({ senderFrame: topFrame(APP_ENTRY_URL) })).toEqual({ url: APP_ENTRY_URL, isTopFrame: true });
    expect(ipcSenderOf({ senderFrame: subFrame(APP_ENTRY_URL) })).toEqual({ url: APP_ENTRY_URL, isTopFrame: false });
    expect(ipcSenderOf({ senderFrame: topFrame(`${FOREIGN}/`) })).toEqual({ url: `${FOREIGN}/`, isTopFrame: true });
    expect(ipcSenderOf({ senderFrame: null })).toEqual({ url: '', isTopFrame: false });
    expect(ipcSenderOf({})).toEqual({ url: '', isTopFrame: false });
  });

  it('is trusted only as the app’s own top frame', () => {
    expect(trusted(topFrame(APP_ENTRY_URL))).toBe(true);
    expect(trusted(subFrame(APP_ENTRY_URL))).toBe(false);
    expect(trusted(subFrame(`${FOREIGN}/x.html`, APP_ENTRY_URL))).toBe(false);
    expect(trusted(topFrame(`${FOREIGN}/index.html`))).toBe(false);
    expect(trusted(null)).toBe(false);
  });
});

describe('the guards module', () => {
  it('does not import Electron, so these tests run it as the app does', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../main/electron/guards.ts'), 'utf8');
    expect(text).not.toMatch(/from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)/);
  });
});
