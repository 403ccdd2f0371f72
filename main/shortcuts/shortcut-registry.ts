/**
 * Global shortcuts for call control (answer, hang up, mute, hold, ready/not-ready) and the
 * knowledge search. They work while another window has focus — the agent is typing in another
 * system. Conflicts are reported, never silently dropped: an invalid accelerator, two actions with
 * the same keys, or keys another application already holds.
 */
import { checkAccelerator } from '../../shared/shortcuts/accelerator';
import { SHORTCUT_ACTIONS, type ShortcutAction, type Settings } from '../../shared/settings/schema';
import type { ShortcutBinding } from '../../shared/shortcuts/ipc';

/** Electron's globalShortcut, reduced to what the registry needs. */
export interface GlobalShortcutPort {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export class ShortcutRegistry {
  private registered: string[] = [];
  private bindings: ShortcutBinding[] = [];

  constructor(
    private readonly port: GlobalShortcutPort,
    private readonly onTrigger: (action: ShortcutAction) => void,
  ) {}

  apply(shortcuts: Settings['shortcuts']): ShortcutBinding[] {
    this.dispose();
    const seen = new Map<string, ShortcutAction>();
    const bindings: ShortcutBinding[] = [];
    for (const action of SHORTCUT_ACTIONS) {
      const accelerator = shortcuts[action];
      if (accelerator === '') {
        bindings.push({ action, accelerator, registered: false });
        continue;
      }
      const check = checkAccelerator(accelerator);
      if (!check.ok) {
        bindings.push({ action, accelerator, registered: false, problem: 'invalid' });
        continue;
      }
      const other = seen.get(check.normalized);
      if (other) {
        bindings.push({ action, accelerator, registered: false, problem: 'duplicate', conflictsWith: other });
        continue;
      }
      seen.set(check.normalized, action);
      let ok = false;
      try {
        ok = this.port.register(check.normalized, () => this.onTrigger(action));
      } catch {
        ok = false;
      }
      if (ok) {
        this.registered.push(check.normalized);
        bindings.push({ action, accelerator, registered: true });
      } else {
        bindings.push({ action, accelerator, registered: false, problem: 'takenByOtherApp' });
      }
    }
    this.bindings = bindings;
    return this.status();
  }

  status(): ShortcutBinding[] {
    return this.bindings.map((b) => ({ ...b }));
  }

  dispose(): void {
    for (const accel of this.registered) this.port.unregister(accel);
    this.registered = [];
  }
}
