/**
 * Step-by-step migrations of the settings document. Each step takes the document of version N
 * and returns version N+1; steps are never edited once released, only appended.
 *
 * v1 (first pilot): { schemaVersion: 1, language: 'zh' | 'en', sipServer, sipExtension,
 *                     sipDomain, platformUrl, shortcuts: {...} }
 * v2: sections (locale, sip, platform, shortcuts, ui) — see shared/settings/schema.ts.
 * v3: adds `calls` (auto-answer, call waiting, DTMF, wrap-up) and `audio` (devices) with defaults.
 * v4: adds `calls.transferTimeoutS` (how long a transfer may take before the caller is back) and
 *     `calls.noMediaWarningS` (seconds without the far end's audio before the no-media warning).
 * v5: adds `shortcuts.searchKnowledge` (the window forward, the cursor in the knowledge search);
 *     '' (unassigned) where another action already has its keys.
 * v6: adds `transfers` (the agent's favourite transfer targets), empty.
 */
import { callAndAudioDefaults, defaultSettings, v4CallDefaults, v5ShortcutDefaults, v6TransferDefaults } from '../../shared/settings/schema';
import { checkAccelerator } from '../../shared/shortcuts/accelerator';

type Doc = Record<string, unknown>;
export type Migration = (doc: Doc) => Doc;

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  1: (v1) => {
    const d = defaultSettings();
    const shortcuts = (v1.shortcuts && typeof v1.shortcuts === 'object' ? v1.shortcuts : {}) as Doc;
    return {
      schemaVersion: 2,
      locale: v1.language === 'en' ? 'en-US' : 'zh-CN',
      sip: {
        ...d.sip,
        serverUrl: str(v1.sipServer, d.sip.serverUrl),
        extension: str(v1.sipExtension, d.sip.extension),
        authUser: str(v1.sipExtension, d.sip.authUser),
        domain: str(v1.sipDomain, d.sip.domain),
      },
      platform: { ...d.platform, baseUrl: str(v1.platformUrl, d.platform.baseUrl) },
      shortcuts: {
        answer: str(shortcuts.answer, d.shortcuts.answer),
        hangup: str(shortcuts.hangup, d.shortcuts.hangup),
        mute: str(shortcuts.mute, d.shortcuts.mute),
        hold: str(shortcuts.hold, d.shortcuts.hold),
        toggleReady: str(shortcuts.ready ?? shortcuts.toggleReady, d.shortcuts.toggleReady),
      },
      ui: d.ui,
    };
  },
  2: (v2) => ({ ...v2, ...callAndAudioDefaults(), schemaVersion: 3 }),
  3: (v3) => {
    const calls = v3.calls && typeof v3.calls === 'object' ? (v3.calls as Doc) : {};
    return { ...v3, calls: { ...calls, ...v4CallDefaults() }, schemaVersion: 4 };
  },
  4: (v4) => {
    const shortcuts = v4.shortcuts && typeof v4.shortcuts === 'object' ? (v4.shortcuts as Doc) : {};
    const { searchKnowledge } = v5ShortcutDefaults();
    // A clash on any platform counts (Ctrl+Shift+K is the default's keys on Windows and Linux):
    // the agent picks other keys rather than finding one of two actions dead.
    const taken = Object.values(shortcuts).some((v) => typeof v === 'string' && v4SameKeys(v, searchKnowledge));
    return { ...v4, shortcuts: { ...shortcuts, searchKnowledge: taken ? '' : searchKnowledge }, schemaVersion: 5 };
  },
  5: (v5) => ({ ...v5, ...v6TransferDefaults(), schemaVersion: 6 }),
};

/** True when two accelerators are the same keys on Windows/Linux or on macOS (for the v4 → v5 step). */
function v4SameKeys(a: string, b: string): boolean {
  const ca = checkAccelerator(a);
  const cb = checkAccelerator(b);
  if (!ca.ok || !cb.ok) return false;
  const on = (accel: string, primary: string) =>
    accel
      .split('+')
      .map((p) => (p === 'CommandOrControl' ? primary : p))
      .sort()
      .join('+');
  return ['Control', 'Command'].some((primary) => on(ca.normalized, primary) === on(cb.normalized, primary));
}

export class MigrationError extends Error {}

/** Bring a document up to `target`; throws MigrationError for unknown or future versions. */
export function migrate(doc: Doc, target: number, migrations = MIGRATIONS): { doc: Doc; from: number } {
  const from = doc.schemaVersion;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) {
    throw new MigrationError('settings document has no valid schemaVersion');
  }
  if (from > target) throw new MigrationError(`settings version ${from} is newer than this app (${target})`);
  let current = doc;
  for (let v = from; v < target; v++) {
    const step = migrations[v];
    if (!step) throw new MigrationError(`no migration from settings version ${v}`);
    current = step(current);
    if (current.schemaVersion !== v + 1) throw new MigrationError(`migration ${v} produced version ${String(current.schemaVersion)}`);
  }
  return { doc: current, from };
}
