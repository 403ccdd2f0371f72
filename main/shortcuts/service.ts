/**
 * Global shortcuts in main: registered from the settings, re-registered when they change, and
 * each press sent to the renderer. Problems (invalid, duplicate, taken) are logged and shown.
 */
import type { ShortcutAction } from '../../shared/settings/schema';
import { shortcutsIpc } from '../../shared/shortcuts/ipc';
import type { DomainService, ServiceContext } from '../ipc/service';
import { ShortcutRegistry, type GlobalShortcutPort } from './shortcut-registry';

/** The desktop edges the shortcuts drive. */
export interface ShortcutsPorts {
  globalShortcut: GlobalShortcutPort;
  /** Restore, show and focus the workstation window. */
  focusWindow(): void;
}

/**
 * Actions the agent needs to see: main brings the window forward first (the renderer cannot
 * take the focus from another application). Call control acts without leaving the other system.
 */
const REVEALS_WINDOW: ReadonlySet<ShortcutAction> = new Set(['searchKnowledge']);

export interface ShortcutsService extends DomainService<typeof shortcutsIpc> {
  readonly registry: ShortcutRegistry;
}

export function shortcutsService(ctx: ServiceContext, ports: ShortcutsPorts): ShortcutsService {
  const { logger, settings } = ctx;
  const registry = new ShortcutRegistry(ports.globalShortcut, (action) => {
    if (REVEALS_WINDOW.has(action)) ports.focusWindow();
    ctx.emit(shortcutsIpc.onTriggered, { action });
  });
  const logProblems = () => {
    for (const b of registry.status()) {
      if (b.problem) logger.warn('global shortcut not registered', { action: b.action, problem: b.problem });
    }
  };
  registry.apply(settings.get('shortcuts'));
  logProblems();
  const off = settings.onChanged((next) => {
    const before = JSON.stringify(registry.status().map((b) => b.accelerator));
    const after = JSON.stringify(Object.values(next.shortcuts));
    if (before === after) return;
    ctx.emit(shortcutsIpc.onStatusChanged, registry.apply(next.shortcuts));
    logProblems();
  });
  return {
    ipc: shortcutsIpc,
    registry,
    handlers: { status: () => registry.status() },
    dispose() {
      off();
      registry.dispose();
    },
  };
}
