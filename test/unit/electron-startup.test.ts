/**
 * Runs the real Electron start-up (main/index.ts and main/electron/*) against a recording
 * stand-in of the `electron` module. That code is the only code no other test executes (there is
 * no Electron binary in CI), so a wiring mistake there — a channel not handed to ipcMain, a window
 * without the security baseline, a guard not installed — must fail here.
 *
 * Expectations are derived from the declarations (shared/ipc, main/security/baseline), not
 * hard-coded: a new channel or domain is expected to be wired without touching this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { workstationApi } from '../../shared/ipc';
import { invokeChannels, type EventDef, type InvokeDef } from '../../shared/ipc/contract';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, SECURITY_HEADERS, baselineViolations } from '../../main/security/baseline';
import { ElectronStandIn, fakeEvent, subFrame, topFrame, type FakeWebContents, type StandInOptions } from '../helpers/electron-stand-in';
import { tmpDir } from '../helpers/tmp';

const electron = vi.hoisted(() => ({ current: undefined as ElectronStandIn | undefined }));

vi.mock('electron', async () => {
  const { electronModule } = await import('../helpers/electron-stand-in');
  return electronModule(() => electron.current);
});

const ROOT = path.resolve(__dirname, '../..');
const APP_FRAME = topFrame(APP_ENTRY_URL);
const FOREIGN = 'https://evil.example';

/** The declaration named `method` in whichever domain declares it (domains may be renamed). */
function declared<K extends 'invoke' | 'event'>(method: string, kind: K): K extends 'invoke' ? InvokeDef : EventDef {
  const found = Object.values(workstationApi).flatMap((defs) =>
    Object.entries(defs as Record<string, InvokeDef | EventDef>).filter(([name, def]) => name === method && def.kind === kind),
  );
  expect(found.map(([, d]) => d.channel), `exactly one ${kind} named ${method} in workstationApi`).toHaveLength(1);
  return found[0]![1] as K extends 'invoke' ? InvokeDef : EventDef;
}

/** Load main/index.ts afresh against a new stand-in (import only: `ready` has not fired yet). */
async function loadMain(options: Partial<StandInOptions> = {}): Promise<ElectronStandIn> {
  const stand = new ElectronStandIn({ userData: tmpDir('ws-electron-main-'), ...options });
  electron.current = stand;
  vi.resetModules();
  await import('../../main/index');
  return stand;
}

/** Load main/index.ts, fire `ready` and wait until the workstation window has loaded its page. */
async function startApp() {
  const stand = await loadMain();
  stand.makeReady();
  const win = await stand.firstWindowLoaded();
  return { stand, win };
}

function expectHardened(contents: FakeWebContents, stand: ElectronStandIn) {
  const navigate = (name: 'will-navigate' | 'will-redirect', url: string) => {
    expect(contents.listenerCount(name), `${name} listener`).toBeGreaterThan(0);
    const event = fakeEvent();
    contents.emit(name, event, url);
    return event.defaultPrevented;
  };
  expect(navigate('will-navigate', 'https://example.com/')).toBe(true);
  expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
  expect(navigate('will-navigate', `${APP_ORIGIN}/other.html`)).toBe(true);
  expect(navigate('will-navigate', APP_ENTRY_URL)).toBe(false);
  expect(navigate('will-redirect', 'https://example.com/')).toBe(true);

  expect(contents.listenerCount('will-attach-webview'), 'will-attach-webview listener').toBeGreaterThan(0);
  const attach = fakeEvent();
  contents.emit('will-attach-webview', attach, {}, {});
  expect(attach.defaultPrevented).toBe(true);

  const open = contents.windowOpenHandler;
  expect(open, 'window-open handler').toBeTypeOf('function');
  const before = stand.openedExternal.length;
  expect(open!({ url: 'https://www.gov.cn/', frameName: '', features: '', disposition: 'new-window' })).toEqual({ action: 'deny' });
  expect(open!({ url: 'file:///etc/passwd', frameName: '', features: '', disposition: 'new-window' })).toEqual({ action: 'deny' });
  expect(open!({ url: APP_ENTRY_URL, frameName: '', features: '', disposition: 'new-window' })).toEqual({ action: 'deny' });
  // Links longer than 2,048 characters are not handed over either.
  const tooLong = `https://www.gov.cn/?q=${'a'.repeat(2049 - 'https://www.gov.cn/?q='.length)}`;
  expect(open!({ url: tooLong, frameName: '', features: '', disposition: 'new-window' })).toEqual({ action: 'deny' });
  // An https link goes to the OS browser; nothing else does.
  expect(stand.openedExternal.slice(before)).toEqual(['https://www.gov.cn/']);
}

afterEach(() => {
  // Dispose the core (will-quit) before tmp.ts removes the user-data folder.
  electron.current?.shutdown();
  electron.current = undefined;
});

describe('Electron start-up (main/index.ts against a recording electron stand-in)', () => {
  it('takes the single-instance lock, enables the sandbox and registers app:// as privileged before ready', async () => {
    const stand = await loadMain();
    expect(stand.calls).toEqual(['app.requestSingleInstanceLock', 'app.enableSandbox', 'protocol.registerSchemesAsPrivileged', 'app.whenReady']);
    expect(stand.privilegedSchemes).toEqual([
      expect.objectContaining({ scheme: APP_SCHEME, privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(stand.windows).toHaveLength(0);

    stand.makeReady();
    await stand.firstWindowLoaded();
    expect(stand.calls.indexOf('app.ready')).toBeLessThan(stand.calls.indexOf('BrowserWindow.new'));
    expect(stand.app.quitRequests).toBe(0);
  });

  it('handles every declared invoke channel, and only from the app’s own top frame', async () => {
    const { stand } = await startApp();
    const declaredChannels = invokeChannels(workstationApi);
    expect([...declaredChannels.keys()].filter((c) => !stand.ipcHandlers.has(c)), 'declared but not handed to ipcMain.handle').toEqual([]);
    expect([...stand.ipcHandlers.keys()].filter((c) => !declaredChannels.has(c)), 'handled but not declared').toEqual([]);

    const getAll = declared('getAll', 'invoke').channel;
    expect(await stand.invoke(getAll, undefined, APP_FRAME)).toMatchObject({ ok: true, value: expect.any(Object) });
    const forbidden = { ok: false, error: expect.objectContaining({ code: 'forbidden_sender' }) };
    // An iframe inside the app page, even one at the app origin.
    expect(await stand.invoke(getAll, undefined, subFrame(APP_ENTRY_URL))).toMatchObject(forbidden);
    expect(await stand.invoke(getAll, undefined, subFrame(`${FOREIGN}/x.html`, APP_ENTRY_URL))).toMatchObject(forbidden);
    // A top frame of another origin, and a request whose frame is already gone.
    expect(await stand.invoke(getAll, undefined, topFrame(`${FOREIGN}/index.html`))).toMatchObject(forbidden);
    expect(await stand.invoke(getAll, undefined, null)).toMatchObject(forbidden);
    // Payloads are validated through the same path.
    const set = declared('set', 'invoke').channel;
    expect(await stand.invoke(set, { section: 'nope', value: 1 }, APP_FRAME)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // The settings document is electron-store's, in the user-data folder.
    expect(await stand.invoke(set, { section: 'locale', value: 'en-US' }, APP_FRAME)).toMatchObject({ ok: true });
    const stored = JSON.parse(fs.readFileSync(path.join(stand.options.userData, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(stored.locale).toBe('en-US');
  });

  it('creates every window with the security baseline, the built preload and the app:// page', async () => {
    const { stand, win } = await startApp();
    expect(stand.windows.length).toBeGreaterThan(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    for (const w of stand.windows) {
      const prefs = w.webPreferences;
      expect(baselineViolations(prefs)).toEqual([]);
      // Pinned here as well, so that weakening the baseline constant itself also fails.
      expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
      // main/index.ts finds the preload beside its own bundle: out/main/index.js → out/preload/index.cjs.
      const preload = prefs.preload as string;
      expect(path.isAbsolute(preload)).toBe(true);
      const fromEntry = path.relative(path.join(ROOT, 'main'), preload);
      expect(path.resolve(ROOT, path.dirname(pkg.main), fromEntry)).toBe(path.join(ROOT, 'out', 'preload', 'index.cjs'));
      expect(w.loadedUrls).toEqual([APP_ENTRY_URL]);
      expectHardened(w.webContents, stand);
    }
    // Shown when ready, not before (no white flash).
    expect(win.isVisible()).toBe(false);
    win.emit('ready-to-show');
    expect(win.isVisible()).toBe(true);
  });

  it('hardens web contents created later (web-contents-created)', async () => {
    const { stand } = await startApp();
    expect(stand.app.listenerCount('web-contents-created')).toBeGreaterThan(0);
    const contents = stand.createWebContents();
    stand.app.emit('web-contents-created', fakeEvent(), contents);
    expectHardened(contents, stand);
  });

  it('serves app:// from the renderer folder with the security headers', async () => {
    const { stand } = await startApp();
    const session = stand.session.defaultSession;
    const handler = session.protocolHandlers.get(APP_SCHEME);
    expect(handler, 'app:// protocol handler on the default session').toBeTypeOf('function');
    const page = await handler!(new Request(APP_ENTRY_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toBe(SECURITY_HEADERS['Content-Security-Policy']);
    expect(await page.text()).toBe(fs.readFileSync(path.join(ROOT, 'renderer', 'index.html'), 'utf8'));
    expect((await handler!(new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect((await handler!(new Request(`${APP_ORIGIN}/%2e%2e/package.json`))).status).toBe(404);
  });

  it('installs permission handlers that grant the microphone to the app only and refuse the rest', async () => {
    const { stand, win } = await startApp();
    const session = stand.session.defaultSession;
    const request = session.permissionRequestHandler;
    const check = session.permissionCheckHandler;
    expect(request, 'permission request handler').toBeTypeOf('function');
    expect(check, 'permission check handler').toBeTypeOf('function');

    const ask = (permission: string, requestingUrl: string, mediaTypes?: string[], isMainFrame = true) => {
      const answers: boolean[] = [];
      request!(win.webContents, permission, (granted) => answers.push(granted), { requestingUrl, isMainFrame, mediaTypes });
      expect(answers, `one answer for ${permission}`).toHaveLength(1);
      return answers[0];
    };
    expect(ask('media', APP_ENTRY_URL, ['audio'])).toBe(true);
    expect(ask('media', APP_ENTRY_URL, ['audio', 'video'])).toBe(false);
    expect(ask('media', APP_ENTRY_URL, ['audio'], false)).toBe(false);
    expect(ask('media', `${FOREIGN}/`, ['audio'])).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal']) expect(ask(p, APP_ENTRY_URL), p).toBe(false);

    expect(check!(win.webContents, 'media', APP_ORIGIN, {})).toBe(true);
    expect(check!(win.webContents, 'media', FOREIGN, {})).toBe(false);
    expect(check!(win.webContents, 'geolocation', APP_ORIGIN, {})).toBe(false);

    const device = session.devicePermissionHandler;
    expect(device, 'device permission handler').toBeTypeOf('function');
    const headset = { collections: [{ usagePage: 0x0b }] };
    expect(device!({ deviceType: 'hid', origin: APP_ORIGIN, device: headset })).toBe(true);
    expect(device!({ deviceType: 'hid', origin: FOREIGN, device: headset })).toBe(false);
    expect(device!({ deviceType: 'hid', origin: APP_ORIGIN, device: { collections: [{ usagePage: 0x01 }] } })).toBe(false);
    expect(device!({ deviceType: 'usb', origin: APP_ORIGIN, device: headset })).toBe(false);

    // The HID chooser picks a telephony headset itself and never shows a keyboard.
    expect(session.listenerCount('select-hid-device')).toBeGreaterThan(0);
    const picked: (string | null)[] = [];
    const event = fakeEvent();
    session.emit(
      'select-hid-device',
      event,
      { frame: { origin: APP_ORIGIN }, deviceList: [{ deviceId: 'kbd', collections: [{ usagePage: 0x01 }] }, { deviceId: 'headset', ...headset }] },
      (id: string | null) => picked.push(id),
    );
    expect(event.defaultPrevented).toBe(true);
    // Another origin's chooser gets nothing, even with a headset plugged in.
    session.emit(
      'select-hid-device',
      fakeEvent(),
      { frame: { origin: FOREIGN }, deviceList: [{ deviceId: 'headset', ...headset }] },
      (id: string | null) => picked.push(id),
    );
    expect(picked).toEqual(['headset', null]);
  });

  it('refuses every TLS certificate error', async () => {
    const { stand, win } = await startApp();
    expect(stand.app.listenerCount('certificate-error')).toBeGreaterThan(0);
    const answers: boolean[] = [];
    const event = fakeEvent();
    stand.app.emit('certificate-error', event, win.webContents, 'wss://sip.example/', 'net::ERR_CERT_AUTHORITY_INVALID', {}, (ok: boolean) => answers.push(ok), true);
    expect(event.defaultPrevented).toBe(true);
    expect(answers).toEqual([false]);
  });

  it('wires the tray, the power-save blocker and the window life cycle', async () => {
    const { stand, win } = await startApp();

    // Tray: created at start-up; its menu drives the agent state and quitting.
    expect(stand.trays).toHaveLength(1);
    const tray = stand.trays[0]!;
    expect(tray.image.isEmpty()).toBe(false);
    expect(tray.tooltip).not.toBe('');
    const items = (tray.contextMenu?.items ?? []).filter((i) => i.type !== 'separator');
    expect(items.length).toBeGreaterThanOrEqual(4);
    const onAgentStateRequested = declared('onAgentStateRequested', 'event').channel;
    for (const item of items) {
      const sent = win.webContents.sent.length;
      const quits = stand.app.quitRequests;
      item.click?.();
      const event = win.webContents.sent.slice(sent);
      if (stand.app.quitRequests > quits) expect(event).toEqual([]);
      else if (event.length > 0) expect(event).toEqual([[onAgentStateRequested, { state: expect.stringMatching(/^(ready|notReady)$/) }]]);
    }
    expect(stand.app.quitRequests, 'a tray item quits').toBe(1);
    const requested = win.webContents.sent.filter(([c]) => c === onAgentStateRequested).map(([, p]) => p);
    expect(requested).toEqual([{ state: 'ready' }, { state: 'notReady' }]);

    // Power: a call keeps the machine awake until it ends.
    const setCallActive = declared('setCallActive', 'invoke').channel;
    expect(await stand.invoke(setCallActive, { active: true }, APP_FRAME)).toEqual({ ok: true, value: null });
    expect([...stand.powerSaveBlockers.values()]).toEqual(['prevent-app-suspension']);
    expect(await stand.invoke(setCallActive, { active: false }, APP_FRAME)).toEqual({ ok: true, value: null });
    expect(stand.powerSaveBlockers.size).toBe(0);

    // Global shortcuts from the settings are registered with the OS.
    expect(stand.shortcuts.size).toBeGreaterThan(0);

    // Resume from sleep is announced to the renderer.
    const onResume = declared('onResume', 'event').channel;
    stand.powerMonitor.emit('resume');
    expect(win.webContents.sent.at(-1)).toEqual([onResume, { at: expect.any(Number) }]);

    // Closing the window hides it to the tray; a second instance brings it back.
    win.show();
    const close = fakeEvent();
    win.emit('close', close);
    expect(close.defaultPrevented).toBe(true);
    expect(win.isVisible()).toBe(false);
    stand.app.emit('second-instance', fakeEvent(), [], ROOT, {});
    expect(win.isVisible()).toBe(true);
    expect(win.focused).toBe(true);

    // A crashed renderer is reloaded (after the crash-loop guard's delay).
    vi.useFakeTimers();
    try {
      win.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
      vi.runOnlyPendingTimers();
      expect(win.webContents.reloads).toBe(1);
    } finally {
      vi.useRealTimers();
    }

    // Once quitting, closing really closes.
    stand.app.emit('before-quit', fakeEvent());
    const closeOnQuit = fakeEvent();
    win.emit('close', closeOnQuit);
    expect(closeOnQuit.defaultPrevented).toBe(false);
  });

  it('quits without creating a window when another instance holds the lock', async () => {
    const stand = await loadMain({ singleInstanceLock: false });
    expect(stand.calls).toEqual(['app.requestSingleInstanceLock', 'app.quit']);
    expect(stand.app.quitRequests).toBe(1);
    stand.makeReady();
    // Give any ready-continuation a chance to run: none may exist.
    await new Promise((resolve) => setImmediate(resolve));
    expect(stand.windows).toHaveLength(0);
    expect(stand.ipcHandlers.size).toBe(0);
    expect(stand.trays).toHaveLength(0);
    expect(stand.privilegedSchemes).toHaveLength(0);
  });
});
