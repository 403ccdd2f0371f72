/** Settings as the renderer sees them: a mirror of main's document, changed only through IPC. */
import { create } from 'zustand';
import type { Settings } from '../../../shared/settings/schema';
import type { SettingsNotice, SettingsUpdate } from '../../../shared/settings/ipc';
import type { SecretsStatus } from '../../../shared/secrets/ipc';
import type { ShortcutBinding } from '../../../shared/shortcuts/ipc';
import { bridge, call } from '../ipc/bridge';

export interface SettingsState {
  readonly settings: Settings | null;
  readonly notices: readonly SettingsNotice[];
  readonly secrets: SecretsStatus | null;
  readonly shortcuts: readonly ShortcutBinding[];
}

export const getEmptySettingsState = (): SettingsState => ({ settings: null, notices: [], secrets: null, shortcuts: [] });

export const useSettingsStore = create<SettingsState>()(getEmptySettingsState);

/** Load everything once and follow main's change events. Returns an unsubscribe function. */
export async function initSettings(): Promise<() => void> {
  const api = bridge();
  const [settings, notices, secrets, shortcuts] = await Promise.all([
    call(api.settings.getAll()),
    call(api.settings.notices()),
    call(api.secrets.status()),
    call(api.shortcuts.status()),
  ]);
  useSettingsStore.setState({ settings, notices, secrets, shortcuts });
  const offSettings = api.settings.onChanged((next) => useSettingsStore.setState({ settings: next }));
  const offShortcuts = api.shortcuts.onStatusChanged((next) => useSettingsStore.setState({ shortcuts: next }));
  return () => {
    offSettings();
    offShortcuts();
  };
}

export async function updateSettings(update: SettingsUpdate): Promise<Settings> {
  const next = await call(bridge().settings.set(update));
  useSettingsStore.setState({ settings: next });
  if (update.section === 'shortcuts') {
    useSettingsStore.setState({ shortcuts: await call(bridge().shortcuts.status()) });
  }
  return next;
}

export function dismissNotice(at: number): void {
  useSettingsStore.setState((s) => ({ notices: s.notices.filter((n) => n.at !== at) }));
}

export async function setSipPassword(password: string): Promise<void> {
  useSettingsStore.setState({ secrets: await call(bridge().secrets.setSipPassword({ password })) });
}

export async function clearSipPassword(): Promise<void> {
  useSettingsStore.setState({ secrets: await call(bridge().secrets.clearSipPassword()) });
}
