/**
 * The workstation's main-process core: every service and the IPC handler table, free of Electron.
 * main/index.ts builds it with Electron adapters; the e2e tests and the Chromium dev bridge build
 * it with their own edge adapters, so both exercise the same services and validation.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { EventDef } from '../shared/ipc/contract';
import { workstationApi } from '../shared/ipc';
import type { AppInfo } from '../shared/shell/ipc';
import type { AgentStatus } from '../shared/agent/state';
import { IpcRegistry, DomainError } from './ipc/registry';
import { createLogger, type Logger, type LogSink } from './logging/logger';
import { PowerGuard, type PowerSaveBlockerPort } from './shell/power-guard';
import { SecretStore, SecretsUnavailableError, type Encryptor } from './secrets/secret-store';
import { SettingsService, type DocumentStoreFactory } from './settings/settings-service';
import { ShortcutRegistry, type GlobalShortcutPort } from './shortcuts/shortcut-registry';
import { presentTray, type TrayView } from './shell/tray-presenter';
import { PlatformClient, PlatformError } from './session/platform-client';
import { installationId } from './session/installation-id';

/** The Electron-shaped edges the core drives. */
export interface ShellPorts {
  focusWindow(): void;
  notify(notification: { title: string; body: string; urgency: 'normal' | 'critical'; focusOnClick: boolean }): boolean;
  showTray(view: TrayView): void;
  powerSaveBlocker: PowerSaveBlockerPort;
  globalShortcut: GlobalShortcutPort;
}

/** Delivers main → renderer events to the workstation window(s). */
export interface EventSink {
  emit(channel: string, payload: unknown): void;
}

export interface CoreOptions {
  userDataDir: string;
  /** Opens the settings document store (electron-store in the app, conf elsewhere). */
  openSettings: DocumentStoreFactory;
  settingsFileName?: string;
  encryptor: Encryptor;
  logSink: LogSink;
  ports: ShellPorts;
  events: EventSink;
  /** Origin whose top frame may call IPC: app://workstation in Electron. */
  allowedOrigin: string;
  appInfo: AppInfo;
  /** fetch used to reach the platform (tests may shorten timeouts through it). */
  fetch?: typeof fetch;
}

export interface WorkstationCore {
  readonly registry: IpcRegistry;
  readonly settings: SettingsService;
  readonly secrets: SecretStore;
  readonly shortcuts: ShortcutRegistry;
  readonly power: PowerGuard;
  readonly logger: Logger;
  readonly platform: PlatformClient;
  agentStatus(): AgentStatus;
  /** Send a validated event to the renderer. */
  emit<P extends z.ZodType>(def: EventDef<P>, payload: z.input<P>): void;
  dispose(): void;
}

export function createCore(options: CoreOptions): WorkstationCore {
  const logger = createLogger(options.logSink, 'main');
  const { ports } = options;
  const settings = new SettingsService({
    open: options.openSettings,
    filePath: path.join(options.userDataDir, options.settingsFileName ?? 'settings.json'),
    logger,
  });
  const secrets = new SecretStore(path.join(options.userDataDir, 'secrets.json'), options.encryptor, logger);
  const power = new PowerGuard(ports.powerSaveBlocker);
  const registry = new IpcRegistry(options.allowedOrigin, logger);
  const rendererLog = createLogger(options.logSink, 'renderer', 'debug');

  function emit<P extends z.ZodType>(def: EventDef<P>, payload: z.input<P>): void {
    const parsed = def.payload.safeParse(payload);
    if (!parsed.success) {
      logger.error('refused to emit an event that breaks its contract', { channel: def.channel });
      return;
    }
    options.events.emit(def.channel, parsed.data);
  }

  const shortcuts = new ShortcutRegistry(ports.globalShortcut, (action) => {
    emit(workstationApi.shortcuts.onTriggered, { action });
  });
  const logShortcutProblems = () => {
    for (const b of shortcuts.status()) {
      if (b.problem) logger.warn('global shortcut not registered', { action: b.action, problem: b.problem });
    }
  };
  shortcuts.apply(settings.get('shortcuts'));
  logShortcutProblems();

  let status: AgentStatus = { state: 'offline', since: Date.now() };
  const refreshTray = () => ports.showTray(presentTray(status, settings.get('locale')));
  refreshTray();

  settings.onChanged((next) => {
    emit(workstationApi.settings.onChanged, next);
    const before = JSON.stringify(shortcuts.status().map((b) => b.accelerator));
    const after = JSON.stringify(Object.values(next.shortcuts));
    if (before !== after) {
      emit(workstationApi.shortcuts.onStatusChanged, shortcuts.apply(next.shortcuts));
      logShortcutProblems();
    }
    refreshTray();
  });

  const api = workstationApi;

  // app
  registry.handle(api.app.info, () => options.appInfo);
  registry.handle(api.app.focusWindow, () => {
    ports.focusWindow();
    return null;
  });
  registry.handle(api.app.notify, (n) => ({
    shown: ports.notify({ title: n.title, body: n.body, urgency: n.urgency ?? 'normal', focusOnClick: n.focusOnClick ?? true }),
  }));
  registry.handle(api.app.setAgentStatus, (next) => {
    status = next;
    refreshTray();
    return null;
  });
  registry.handle(api.app.setCallActive, ({ active }) => {
    power.setCallActive(active);
    return null;
  });

  // settings
  registry.handle(api.settings.getAll, () => settings.getAll());
  registry.handle(api.settings.get, ({ section }) => settings.get(section));
  registry.handle(api.settings.set, (update) => settings.set(update));
  registry.handle(api.settings.reset, ({ section }) => settings.reset(section));
  registry.handle(api.settings.notices, () => settings.notices());

  // secrets (write-only from the renderer)
  const secretsStatus = () => ({ sipPasswordSet: secrets.has('sipPassword'), protection: secrets.protection() });
  registry.handle(api.secrets.status, secretsStatus);
  registry.handle(api.secrets.setSipPassword, ({ password }) => {
    try {
      secrets.set('sipPassword', password);
    } catch (error) {
      if (error instanceof SecretsUnavailableError) throw new DomainError(error.code, error.message);
      throw error;
    }
    logger.info('SIP password stored');
    return secretsStatus();
  });
  registry.handle(api.secrets.clearSipPassword, () => {
    secrets.delete('sipPassword');
    return secretsStatus();
  });

  // softphone credentials, handed over at registration time only
  registry.handle(api.sip.credentials, () => {
    const password = secrets.get('sipPassword');
    if (!password) throw new DomainError('sip_no_password', 'No SIP password is stored');
    const sip = settings.get('sip');
    return { authUser: sip.authUser || sip.extension, password };
  });

  // shortcuts
  registry.handle(api.shortcuts.status, () => shortcuts.status());

  // platform connection (tokens stay here; the renderer sees only the state)
  const platform = new PlatformClient({
    secrets,
    sessionFile: path.join(options.userDataDir, 'platform-session.json'),
    clientId: installationId(options.userDataDir),
    logger,
    fetch: options.fetch,
  });
  platform.onStatus((s) => emit(api.platform.onStatusChanged, s));
  const platformFailure = (error: unknown) =>
    error instanceof PlatformError ? new DomainError(`platform_${error.code}`, error.message) : error;
  registry.handle(api.platform.status, () => platform.status());
  registry.handle(api.platform.signIn, async ({ baseUrl, account, password, rememberAccount }) => {
    try {
      const status = await platform.signIn({ baseUrl, account, password });
      settings.set({ section: 'platform', value: { baseUrl: status.baseUrl ?? baseUrl, rememberedAccount: rememberAccount ? account : '' } });
      return status;
    } catch (error) {
      throw platformFailure(error);
    }
  });
  registry.handle(api.platform.signOut, () => platform.signOut());
  void platform.resume().catch(() => undefined);

  // log
  registry.handle(api.log.write, (entry) => {
    rendererLog.child(`renderer.${entry.module}`)[entry.level](entry.message, entry.context);
    return null;
  });

  logger.info('workstation core started', { runtime: options.appInfo.runtime, version: options.appInfo.version });

  return {
    registry,
    settings,
    secrets,
    shortcuts,
    power,
    logger,
    platform,
    agentStatus: () => status,
    emit,
    dispose() {
      platform.dispose();
      shortcuts.dispose();
      power.setCallActive(false);
    },
  };
}
