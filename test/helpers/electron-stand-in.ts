/**
 * A recording stand-in for the `electron` module, faithful enough to run the real start-up in
 * main/index.ts (and the adapters in main/electron/) under vitest, where no Electron binary exists.
 *
 * It models the parts of Electron the app uses, including the rules real Electron enforces and a
 * wiring mistake would trip: privileged schemes and the sandbox switch only before `ready`;
 * windows and `session.defaultSession` only after it; one `ipcMain.handle` per channel. Every call
 * is recorded so a test can assert what was wired and then drive the recorded handlers.
 *
 * Use it through `electronModule(() => current)` from a `vi.mock('electron', …)` factory; the
 * exports forward to whichever stand-in is current, so a test can start the app afresh after
 * `vi.resetModules()`.
 */
import { EventEmitter } from 'node:events';

/** The `event` argument of Electron events that can be cancelled. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

/** What main sees as `event.senderFrame` of an IPC request. */
export interface FakeFrame {
  url: string;
  origin: string;
  parent: FakeFrame | null;
}

export function topFrame(url: string): FakeFrame {
  return { url, origin: originOrNull(url), parent: null };
}

/** An iframe at `url` inside a top frame at `parentUrl`. */
export function subFrame(url: string, parentUrl = url): FakeFrame {
  return { url, origin: originOrNull(url), parent: topFrame(parentUrl) };
}

function originOrNull(url: string): string {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : 'null';
  } catch {
    return 'null';
  }
}

export type IpcInvokeHandler = (event: { senderFrame: FakeFrame | null; sender: FakeWebContents; frameId: number; processId: number }, payload: unknown) => unknown;
export type PermissionRequestHandler = (
  contents: FakeWebContents | null,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string; isMainFrame: boolean; mediaTypes?: string[] },
) => void;
export type PermissionCheckHandler = (contents: FakeWebContents | null, permission: string, requestingOrigin: string, details: unknown) => boolean;
export type DevicePermissionHandler = (details: { deviceType: string; origin: string; device: unknown }) => boolean;
export type ProtocolHandler = (request: Request) => Response | Promise<Response>;
export type WindowOpenHandler = (details: { url: string; frameName: string; features: string; disposition: string }) => { action: 'allow' | 'deny' };

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  windowOpenHandler: WindowOpenHandler | undefined;
  /** Main → renderer messages, in order. */
  readonly sent: [string, unknown][] = [];
  reloads = 0;
  destroyed = false;

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push([channel, payload]);
  }

  reload(): void {
    this.reloads++;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  visible: boolean;
  minimized = false;
  focused = false;
  destroyed = false;

  constructor(
    private readonly stand: ElectronStandIn,
    readonly options: Record<string, unknown>,
  ) {
    super();
    if (!stand.isReady) throw new Error('Cannot create BrowserWindow before app is ready');
    this.visible = options.show !== false;
    stand.record('BrowserWindow.new');
    stand.windows.push(this);
  }

  get webPreferences(): Record<string, unknown> {
    return (this.options.webPreferences ?? {}) as Record<string, unknown>;
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    this.stand.record('BrowserWindow.loadURL');
    this.stand.emit('loadURL', this, url);
    return Promise.resolve();
  }

  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    this.focused = true;
  }
  moveTop(): void {}
  restore(): void {
    this.minimized = false;
  }
  minimize(): void {
    this.minimized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
  }
}

export class FakeSession extends EventEmitter {
  readonly protocolHandlers = new Map<string, ProtocolHandler>();
  permissionRequestHandler: PermissionRequestHandler | null | undefined;
  permissionCheckHandler: PermissionCheckHandler | null | undefined;
  devicePermissionHandler: DevicePermissionHandler | null | undefined;
  readonly headersReceivedListeners: unknown[] = [];

  readonly protocol = {
    handle: (scheme: string, handler: ProtocolHandler): void => {
      if (this.protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
      this.protocolHandlers.set(scheme, handler);
    },
    unhandle: (scheme: string): void => {
      this.protocolHandlers.delete(scheme);
    },
    isProtocolHandled: (scheme: string): boolean => this.protocolHandlers.has(scheme),
  };

  readonly webRequest = {
    onHeadersReceived: (listener: unknown): void => {
      this.headersReceivedListeners.push(listener);
    },
  };

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: DevicePermissionHandler | null): void {
    this.devicePermissionHandler = handler;
  }
}

export class FakeTray extends EventEmitter {
  tooltip = '';
  image: FakeImage;
  contextMenu: FakeMenu | undefined;
  destroyed = false;

  constructor(image: FakeImage) {
    super();
    this.image = image;
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenu): void {
    this.contextMenu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export interface FakeMenuItem {
  label?: string;
  type?: string;
  click?: (...args: unknown[]) => void;
}
export interface FakeMenu {
  items: FakeMenuItem[];
}
export interface FakeImage {
  buffer: Buffer;
  isEmpty(): boolean;
}

export class FakeNotification extends EventEmitter {
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
  }
  show(): void {
    this.shown = true;
  }
  static isSupported(): boolean {
    return true;
  }
}

export interface StandInOptions {
  /** What app.getPath('userData') returns: give each test a fresh temp folder. */
  userData: string;
  /** What app.requestSingleInstanceLock() answers (false: another instance is running). */
  singleInstanceLock?: boolean;
  name?: string;
  version?: string;
}

/** The Electron `app` object. */
export class FakeApp extends EventEmitter {
  quitRequests = 0;
  private readonly ready: Promise<void>;
  resolveReady!: () => void;

  constructor(private readonly stand: ElectronStandIn) {
    super();
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  requestSingleInstanceLock(): boolean {
    this.stand.record('app.requestSingleInstanceLock');
    return this.stand.options.singleInstanceLock ?? true;
  }
  enableSandbox(): void {
    if (this.stand.isReady) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.stand.record('app.enableSandbox');
  }
  whenReady(): Promise<void> {
    this.stand.record('app.whenReady');
    return this.ready;
  }
  isReady(): boolean {
    return this.stand.isReady;
  }
  getPath(name: string): string {
    if (name === 'userData') return this.stand.options.userData;
    throw new Error(`electron stand-in: app.getPath('${name}') is not modelled`);
  }
  getName(): string {
    return this.stand.options.name ?? 'hotline-workstation';
  }
  getVersion(): string {
    return this.stand.options.version ?? '0.1.0';
  }
  /** Records the request; the stand-in never ends the test process (see ElectronStandIn.shutdown). */
  quit(): void {
    this.stand.record('app.quit');
    this.quitRequests++;
  }
}

/** One fake Electron: its objects and everything done to them. */
export class ElectronStandIn extends EventEmitter {
  isReady = false;
  /** Chronological log of the calls that matter for ordering (`app.enableSandbox`, `app.ready`…). */
  readonly calls: string[] = [];
  readonly windows: FakeBrowserWindow[] = [];
  readonly ipcHandlers = new Map<string, IpcInvokeHandler>();
  readonly privilegedSchemes: { scheme: string; privileges?: Record<string, boolean> }[] = [];
  readonly trays: FakeTray[] = [];
  readonly notifications: FakeNotification[] = [];
  /** Running power-save blockers: id → type. */
  readonly powerSaveBlockers = new Map<number, string>();
  readonly shortcuts = new Map<string, () => void>();
  readonly openedExternal: string[] = [];
  readonly app: FakeApp;
  private readonly defaultSessionObject = new FakeSession();
  private nextBlockerId = 1;

  readonly BrowserWindow: new (options: Record<string, unknown>) => FakeBrowserWindow;
  readonly Tray: new (image: FakeImage) => FakeTray;
  readonly Notification: typeof FakeNotification;

  readonly ipcMain = Object.assign(new EventEmitter(), {
    handle: (channel: string, handler: IpcInvokeHandler): void => {
      if (this.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.ipcHandlers.set(channel, handler);
    },
    removeHandler: (channel: string): void => {
      this.ipcHandlers.delete(channel);
    },
  });

  readonly protocol = {
    registerSchemesAsPrivileged: (schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void => {
      if (this.isReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      this.record('protocol.registerSchemesAsPrivileged');
      this.privilegedSchemes.push(...schemes);
    },
    handle: (scheme: string, handler: ProtocolHandler): void => this.defaultSession.protocol.handle(scheme, handler),
  };

  readonly session = Object.defineProperties({} as { defaultSession: FakeSession }, {
    defaultSession: { enumerable: true, get: () => this.defaultSession },
  });

  readonly powerMonitor = new EventEmitter();

  readonly powerSaveBlocker = {
    start: (type: string): number => {
      const id = this.nextBlockerId++;
      this.powerSaveBlockers.set(id, type);
      return id;
    },
    stop: (id: number): boolean => this.powerSaveBlockers.delete(id),
    isStarted: (id: number): boolean => this.powerSaveBlockers.has(id),
  };

  readonly globalShortcut = {
    register: (accelerator: string, callback: () => void): boolean => {
      if (this.shortcuts.has(accelerator)) return false;
      this.shortcuts.set(accelerator, callback);
      return true;
    },
    unregister: (accelerator: string): void => {
      this.shortcuts.delete(accelerator);
    },
    isRegistered: (accelerator: string): boolean => this.shortcuts.has(accelerator),
    unregisterAll: (): void => this.shortcuts.clear(),
  };

  /** A reversible stand-in for OS encryption: never the plain text. */
  readonly safeStorage = {
    isEncryptionAvailable: (): boolean => true,
    getSelectedStorageBackend: (): string => 'gnome_libsecret',
    encryptString: (plain: string): Buffer => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (cipher: Buffer): string => Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'),
  };

  readonly nativeImage = {
    createFromBuffer: (buffer: Buffer): FakeImage => ({ buffer, isEmpty: () => buffer.length === 0 }),
    createEmpty: (): FakeImage => ({ buffer: Buffer.alloc(0), isEmpty: () => true }),
  };

  readonly Menu = {
    buildFromTemplate: (template: FakeMenuItem[]): FakeMenu => ({ items: template }),
  };

  readonly shell = {
    openExternal: (url: string): Promise<void> => {
      this.openedExternal.push(url);
      return Promise.resolve();
    },
    openPath: (): Promise<string> => Promise.resolve(''),
  };

  constructor(readonly options: StandInOptions) {
    super();
    this.app = new FakeApp(this);
    this.BrowserWindow = windowClass(this);
    this.Tray = trayClass(this);
    this.Notification = notificationClass(this);
  }

  /** Like Electron: the default session exists only once the app is ready. */
  get defaultSession(): FakeSession {
    if (!this.isReady) throw new Error('Session can only be received when app is ready');
    return this.defaultSessionObject;
  }

  record(call: string): void {
    this.calls.push(call);
  }

  /** Fire `ready`: resolves app.whenReady() and emits the event. */
  makeReady(): void {
    if (this.isReady) return;
    this.isReady = true;
    this.record('app.ready');
    this.app.resolveReady();
    this.app.emit('ready', fakeEvent(), {});
  }

  /** Resolves with the first window once it has loaded a URL. */
  firstWindowLoaded(): Promise<FakeBrowserWindow> {
    const loaded = this.windows.find((w) => w.loadedUrls.length > 0);
    if (loaded) return Promise.resolve(loaded);
    return new Promise((resolve) => this.once('loadURL', (win: FakeBrowserWindow) => resolve(win)));
  }

  /** Web contents that are not a window's (e.g. what `web-contents-created` announces). */
  createWebContents(): FakeWebContents {
    return new FakeWebContents();
  }

  /** Call the handler main registered for `channel`, as a request from `frame`. */
  async invoke(channel: string, payload: unknown, frame: FakeFrame | null): Promise<unknown> {
    const handler = this.ipcHandlers.get(channel);
    if (!handler) throw new Error(`no ipcMain.handle for ${channel}`);
    const sender = this.windows[0]?.webContents ?? new FakeWebContents();
    return handler({ senderFrame: frame, sender, frameId: 1, processId: 1 }, payload);
  }

  /** What a real quit does to the app's listeners: before-quit, then will-quit. */
  shutdown(): void {
    this.app.emit('before-quit', fakeEvent());
    this.app.emit('will-quit', fakeEvent());
  }
}

/** The classes a stand-in exports, bound to it (their instances are recorded on it). */
function windowClass(stand: ElectronStandIn) {
  return class BrowserWindow extends FakeBrowserWindow {
    constructor(options: Record<string, unknown>) {
      super(stand, options);
    }
  };
}

function trayClass(stand: ElectronStandIn) {
  return class Tray extends FakeTray {
    constructor(image: FakeImage) {
      super(image);
      stand.trays.push(this);
    }
  };
}

function notificationClass(stand: ElectronStandIn) {
  return class Notification extends FakeNotification {
    constructor(options: Record<string, unknown>) {
      super(options);
      stand.notifications.push(this);
    }
  };
}

/** The names `electron` exports that the stand-in models. */
const EXPORTS = [
  'app',
  'BrowserWindow',
  'ipcMain',
  'protocol',
  'session',
  'powerMonitor',
  'powerSaveBlocker',
  'globalShortcut',
  'safeStorage',
  'nativeImage',
  'Menu',
  'Tray',
  'Notification',
  'shell',
] as const;

/**
 * The module object for `vi.mock('electron', …)`: each export (and the default export, which
 * electron-store uses) forwards to the current stand-in at the moment it is read.
 */
export function electronModule(current: () => ElectronStandIn | undefined): Record<string, unknown> {
  const forward = (name: (typeof EXPORTS)[number]) => () => {
    const stand = current();
    if (!stand) throw new Error(`electron stand-in: electron.${name} read before a stand-in was installed`);
    return stand[name];
  };
  const mod: Record<string, unknown> = {};
  for (const name of EXPORTS) Object.defineProperty(mod, name, { enumerable: true, get: forward(name) });
  Object.defineProperty(mod, 'default', { enumerable: true, value: mod });
  return mod;
}
