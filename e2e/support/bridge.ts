/**
 * Runs the built renderer in Debian Chromium behind the real main-process core: the page gets
 * `window.workstation` from the same declarations as the real preload, and every call goes
 * through the real IPC registry (sender check, validation) into the real services. Only the
 * Electron edge (tray, notifications, shortcuts, safeStorage) is replaced by recording ports.
 * Used by the e2e tests, the start-up benchmark and `npm run dev:chromium`.
 */
import { appGrantedPermissions } from './app-permissions';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { browserBundle } from './browser-bundle';
import Conf from 'conf';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { createCore, type WorkstationCore } from '../../main/core';
import { RotatingFileSink } from '../../main/logging/logger';
import { resolveRendererPath } from '../../main/security/app-protocol';
import type { DocumentStore } from '../../main/settings/settings-service';
import { CHROMIUM_ARGS, CHROMIUM_PATH, RENDERER_DIR, REPO_ROOT } from './paths';
import { recordingPorts, type RecordingPorts } from './edge-ports';
import { testEncryptor } from './test-encryptor';

/**
 * The origin the renderer is served from in Chromium (the desktop app uses app://workstation).
 * Requests to it are answered by the test (nothing listens there). A loopback origin is a secure
 * context (microphone); it is granted what the app's own permission policy grants the app's origin
 * (microphone, Local Network Access: the SIP server and the platform sit on the city's private
 * network) — see app-permissions.ts.
 */
export const BRIDGE_ORIGIN = 'http://localhost:48090';

export interface LaunchOptions {
  /** Folder holding the browser profile and the app data (settings, secrets, logs). Reuse it to "restart". */
  dir: string;
  headless?: boolean;
  /** Key of the stand-in safeStorage; pass the same key across restarts. */
  encryptionKey?: Buffer;
  takenAccelerators?: string[];
  extraArgs?: string[];
  /** Wait for the shell to be interactive before returning (default true). */
  waitForShell?: boolean;
  /** Sign in to this platform through the real client before the page loads. */
  signIn?: { baseUrl: string; account: string; password: string };
  /** Configure the core (settings, secrets) before the page loads, as an earlier session would have. */
  prepare?: (core: WorkstationCore) => void | Promise<void>;
}

export interface LaunchedWorkstation {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly core: WorkstationCore;
  readonly ports: RecordingPorts;
  readonly appDataDir: string;
  readonly logFile: string;
  close(): Promise<void>;
}

export function appDataDirOf(dir: string): string {
  return path.join(dir, 'app');
}

/** Build the core exactly as main/index.ts does, with conf (electron-store's base) as the store. */
export function createBridgeCore(appDataDir: string, ports: RecordingPorts, encryptionKey: Buffer, events: (channel: string, payload: unknown) => void) {
  fs.mkdirSync(appDataDir, { recursive: true });
  const sink = new RotatingFileSink({ dir: path.join(appDataDir, 'logs') });
  const core = createCore({
    userDataDir: appDataDir,
    openSettings: () =>
      new Conf<Record<string, unknown>>({ cwd: appDataDir, configName: 'settings', clearInvalidConfig: false, configFileMode: 0o600 }) as unknown as DocumentStore,
    encryptor: testEncryptor(encryptionKey),
    logSink: sink,
    ports,
    events: { emit: events },
    allowedOrigin: BRIDGE_ORIGIN,
    appInfo: {
      name: 'hotline-workstation',
      version: JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version,
      runtime: 'bridge',
      platform: process.platform,
      versions: { node: process.versions.node },
    },
  });
  return { core, logFile: sink.filePath };
}

export async function launchWorkstation(options: LaunchOptions): Promise<LaunchedWorkstation> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` first');
  }
  const appDataDir = appDataDirOf(options.dir);
  const ports = recordingPorts({ takenAccelerators: options.takenAccelerators });
  // Events go to the pages of the context, which exists only after the core (it needs the core's bindings).
  const target: { context?: BrowserContext } = {};
  const { core, logFile } = createBridgeCore(appDataDir, ports, options.encryptionKey ?? crypto.randomBytes(32), (channel, payload) => {
    for (const p of target.context?.pages() ?? []) {
      p.evaluate(([c, x]) => window.__wsEmit(c, x), [channel, payload] as const).catch(() => undefined);
    }
  });

  const context = await chromium.launchPersistentContext(path.join(options.dir, 'profile'), {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  // What the app's permission policy grants its own top frame, to the bridge's origin only.
  await context.grantPermissions(appGrantedPermissions(), { origin: BRIDGE_ORIGIN });
  target.context = context;
  if (options.signIn) await core.session.signIn(options.signIn);
  await options.prepare?.(core);
  await serveRenderer(context);
  // Requests and answers cross as JSON text (see page-bridge.ts); a rejection keeps its own shape.
  await context.exposeBinding('__wsInvoke', async (source, channel: unknown, request: unknown) => {
    const answer = await core.registry.dispatch(channel, typeof request === 'string' ? JSON.parse(request) : request, { url: source.frame.url(), isTopFrame: source.frame.parentFrame() === null });
    return answer === undefined ? undefined : JSON.stringify(answer);
  });
  await context.addInitScript({ content: browserBundle('e2e/support/page-bridge.ts') });

  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${BRIDGE_ORIGIN}/index.html`);
  if (options.waitForShell !== false) await waitForShell(page);

  return {
    context,
    page,
    core,
    ports,
    appDataDir,
    logFile,
    async close() {
      core.dispose();
      await context.close();
    },
  };
}

export async function waitForShell(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.shellReady === 'true');
}

/** Serve out/renderer on the bridge origin exactly as the app:// protocol handler does. */
async function serveRenderer(context: BrowserContext): Promise<void> {
  await context.route(`${BRIDGE_ORIGIN}/**`, async (route) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(route.request().url()).pathname);
    } catch {
      await route.fulfill({ status: 400 });
      return;
    }
    const res = resolveRendererPath(pathname, RENDERER_DIR);
    if (res.status !== 200 || !fs.existsSync(res.filePath)) {
      await route.fulfill({ status: res.status === 200 ? 404 : res.status, headers: res.headers });
      return;
    }
    await route.fulfill({ status: 200, headers: res.headers, body: fs.readFileSync(res.filePath) });
  });
}
