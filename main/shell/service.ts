/**
 * The desktop shell in main: window focus, notifications, the tray that shows the agent's state,
 * and the power-save blocker held while a call is up.
 */
import { shellIpc } from '../../shared/shell/ipc';
import type { AgentStatus } from '../../shared/agent/state';
import type { DomainService, ServiceContext } from '../ipc/service';
import { PowerGuard, type PowerSaveBlockerPort } from './power-guard';
import { presentTray, type TrayView } from './tray-presenter';

/** The Electron-shaped edges the shell drives. */
export interface ShellPorts {
  focusWindow(): void;
  notify(notification: { title: string; body: string; urgency: 'normal' | 'critical'; focusOnClick: boolean }): boolean;
  showTray(view: TrayView): void;
  powerSaveBlocker: PowerSaveBlockerPort;
}

export interface ShellService extends DomainService<typeof shellIpc> {
  readonly power: PowerGuard;
  agentStatus(): AgentStatus;
  /** Every change of the agent's state the renderer reports (the queue reports it to the platform). */
  onAgentStatus(listener: (s: AgentStatus) => void): () => void;
}

export function shellService(ctx: ServiceContext, ports: ShellPorts): ShellService {
  const power = new PowerGuard(ports.powerSaveBlocker);
  let status: AgentStatus = { state: 'offline', since: Date.now() };
  const listeners = new Set<(s: AgentStatus) => void>();
  const refreshTray = () => ports.showTray(presentTray(status, ctx.settings.get('locale')));
  refreshTray();
  // The tray speaks the agent's language.
  const offSettings = ctx.settings.onChanged(refreshTray);

  return {
    ipc: shellIpc,
    power,
    agentStatus: () => status,
    onAgentStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    handlers: {
      info: () => ctx.appInfo,
      focusWindow: () => {
        ports.focusWindow();
        return null;
      },
      notify: (n) => ({
        shown: ports.notify({ title: n.title, body: n.body, urgency: n.urgency ?? 'normal', focusOnClick: n.focusOnClick ?? true }),
      }),
      setAgentStatus: (next) => {
        const changed = next.state !== status.state || next.reason !== status.reason || next.since !== status.since;
        status = next;
        refreshTray();
        if (changed) for (const l of listeners) l(next);
        return null;
      },
      setCallActive: ({ active }) => {
        power.setCallActive(active);
        return null;
      },
    },
    dispose() {
      offSettings();
      power.setCallActive(false);
    },
  };
}
