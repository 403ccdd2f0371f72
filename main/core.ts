/**
 * The workstation's main-process core, free of Electron: it opens what every domain shares
 * (settings, secrets, logger), then composes one service per domain — each binds the channels of
 * its `shared/<domain>/ipc.ts` and registers itself. main/index.ts builds the core with Electron
 * adapters; the e2e tests and the Chromium dev bridge build it with their own edge adapters, so
 * both exercise the same services and validation.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { EventDef } from '../shared/ipc/contract';
import type { WorkstationApiDef } from '../shared/ipc';
import type { AppInfo } from '../shared/shell/ipc';
import type { AgentStatus } from '../shared/agent/state';
import { IpcRegistry } from './ipc/registry';
import type { DomainService, ServiceContext } from './ipc/service';
import { createLogger, type Logger, type LogSink } from './logging/logger';
import { loggingService } from './logging/service';
import { SecretStore, type Encryptor } from './secrets/secret-store';
import { secretsService } from './secrets/service';
import { SettingsService, type DocumentStoreFactory } from './settings/settings-service';
import { settingsService } from './settings/service';
import { shellService, type ShellPorts as ShellServicePorts } from './shell/service';
import type { PowerGuard } from './shell/power-guard';
import type { GlobalShortcutPort, ShortcutRegistry } from './shortcuts/shortcut-registry';
import { shortcutsService } from './shortcuts/service';
import { sessionService } from './session/service';
import type { PlatformClient } from './session/platform-client';
import { installationId } from './session/installation-id';
import { phoneService } from './phone/service';
import { directoryService } from './directory/service';
import { ordersService } from './orders/service';
import { knowledgeService } from './knowledge/service';
import { queueService } from './queue/service';
import { transfersService } from './transfers/service';

/** The Electron-shaped edges the core drives. */
export interface ShellPorts extends ShellServicePorts {
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
  /** The session with the central platform (what other domains call it through). */
  readonly session: PlatformClient;
  agentStatus(): AgentStatus;
  /** Send a validated event to the renderer. */
  emit<P extends z.ZodType>(def: EventDef<P>, payload: z.input<P>): void;
  dispose(): void;
}

export function createCore(options: CoreOptions): WorkstationCore {
  const logger = createLogger(options.logSink, 'main');
  const settings = new SettingsService({
    open: options.openSettings,
    filePath: path.join(options.userDataDir, options.settingsFileName ?? 'settings.json'),
    logger,
  });
  const secrets = new SecretStore(path.join(options.userDataDir, 'secrets.json'), options.encryptor, logger);
  const registry = new IpcRegistry(options.allowedOrigin, logger);

  function emit<P extends z.ZodType>(def: EventDef<P>, payload: z.input<P>): void {
    const parsed = def.payload.safeParse(payload);
    if (!parsed.success) {
      logger.error('refused to emit an event that breaks its contract', { channel: def.channel });
      return;
    }
    options.events.emit(def.channel, parsed.data);
  }

  const ctx: ServiceContext = { logger, logSink: options.logSink, settings, secrets, userDataDir: options.userDataDir, appInfo: options.appInfo, emit };
  // One service per domain of the IPC declaration (the compiler checks none is missing). The
  // order matters only for settings listeners: settings:changed goes out before what follows from it.
  const first = {
    settings: settingsService(ctx),
    shell: shellService(ctx, options.ports),
    secrets: secretsService(ctx),
    shortcuts: shortcutsService(ctx, options.ports),
    logging: loggingService(ctx),
    session: sessionService(ctx, options.fetch),
  };
  // Domains that call the platform do it through the session's client, as this installation.
  const platform = first.session.client;
  const services = {
    ...first,
    phone: phoneService(ctx),
    directory: directoryService(ctx, { platform }),
    orders: ordersService(ctx, { platform, clientId: installationId(options.userDataDir) }),
    transfers: transfersService(ctx, { platform, clientId: installationId(options.userDataDir) }),
    knowledge: knowledgeService(ctx, { platform }),
    queue: queueService(ctx, { platform, agentStatus: first.shell.agentStatus, onAgentStatus: first.shell.onAgentStatus }),
  } satisfies { [D in keyof WorkstationApiDef]: DomainService<WorkstationApiDef[D]> };
  for (const service of Object.values(services)) registry.register(service as DomainService);

  logger.info('workstation core started', { runtime: options.appInfo.runtime, version: options.appInfo.version });

  return {
    registry,
    settings,
    secrets,
    shortcuts: services.shortcuts.registry,
    power: services.shell.power,
    logger,
    session: services.session.client,
    agentStatus: services.shell.agentStatus,
    emit,
    dispose() {
      for (const service of Object.values(services)) (service as DomainService).dispose?.();
    },
  };
}
