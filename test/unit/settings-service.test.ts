import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, SETTINGS_VERSION } from '../../shared/settings/schema';
import { migrate, MigrationError } from '../../main/settings/migrations';
import { ShortcutRegistry } from '../../main/shortcuts/shortcut-registry';
import { recordingPorts } from '../../e2e/support/edge-ports';
import { tmpDir } from '../helpers/tmp';
import { openSettings } from '../helpers/settings';

const file = (dir: string) => path.join(dir, 'settings.json');
const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));

describe('settings service', () => {
  it('starts with defaults and writes them', () => {
    const dir = tmpDir();
    const { service } = openSettings(dir);
    expect(service.getAll()).toEqual(defaultSettings());
    expect(readJson(file(dir)).schemaVersion).toBe(SETTINGS_VERSION);
    expect(service.notices()).toEqual([]);
  });

  it('persists a section change across a restart', () => {
    const dir = tmpDir();
    openSettings(dir).service.set({ section: 'locale', value: 'en-US' });
    const reopened = openSettings(dir).service;
    expect(reopened.get('locale')).toBe('en-US');
  });

  it('rejects an invalid section value and keeps the old one', () => {
    const dir = tmpDir();
    const { service } = openSettings(dir);
    const bad = { ...defaultSettings().sip, serverUrl: 'http://not-a-websocket' };
    expect(() => service.set({ section: 'sip', value: bad })).toThrow(/ws:\/\/ or wss:\/\//);
    expect(service.get('sip').serverUrl).toBe('');
    expect(readJson(file(dir)).sip.serverUrl).toBe('');
  });

  it('migrates a version-1 file step by step and keeps a backup', () => {
    const dir = tmpDir();
    const v1 = {
      schemaVersion: 1,
      language: 'en',
      sipServer: 'wss://sip.city.gov.cn:7443',
      sipExtension: '8001',
      sipDomain: 'city.gov.cn',
      platformUrl: 'https://platform.city.gov.cn',
      shortcuts: { answer: 'F9', ready: 'F12' },
    };
    fs.writeFileSync(file(dir), JSON.stringify(v1));
    const { service } = openSettings(dir);
    const s = service.getAll();
    expect(s.schemaVersion).toBe(6);
    expect(s.locale).toBe('en-US');
    // v2 → v3 added the call-handling and audio sections with their defaults (v3 → v4 the transfer timeout).
    expect(s.calls).toEqual(defaultSettings().calls);
    expect(s.audio).toEqual(defaultSettings().audio);
    expect(s.sip).toMatchObject({ serverUrl: 'wss://sip.city.gov.cn:7443', extension: '8001', authUser: '8001', domain: 'city.gov.cn' });
    expect(s.platform.baseUrl).toBe('https://platform.city.gov.cn');
    expect(s.shortcuts.answer).toBe('F9');
    expect(s.shortcuts.toggleReady).toBe('F12');
    // v4 → v5 added the knowledge search's keys.
    expect(s.shortcuts.searchKnowledge).toBe('CommandOrControl+Shift+K');
    const [notice] = service.notices();
    expect(notice).toMatchObject({ kind: 'migrated', fromVersion: 1 });
    expect(readJson(path.join(dir, notice!.backupFile!))).toEqual(v1);
    expect(readJson(file(dir)).schemaVersion).toBe(6);
    // A second start has nothing to migrate.
    expect(openSettings(dir).service.notices()).toEqual([]);
  });

  it('migrates a version-3 file through v4: the call settings are kept and the transfer timeout and no-media warning are added', () => {
    const dir = tmpDir();
    const d = defaultSettings();
    const { transferTimeoutS: _t, noMediaWarningS: _n, ...v3Calls } = d.calls;
    const v3 = { ...d, schemaVersion: 3, calls: { ...v3Calls, autoAnswer: true, wrapUpS: 90 }, shortcuts: v4Shortcuts() };
    fs.writeFileSync(file(dir), JSON.stringify(v3));
    const { service } = openSettings(dir);
    expect(service.getAll().schemaVersion).toBe(6);
    expect(service.get('calls')).toEqual({ ...v3Calls, autoAnswer: true, wrapUpS: 90, transferTimeoutS: 30, noMediaWarningS: 2 });
    expect(service.notices()[0]).toMatchObject({ kind: 'migrated', fromVersion: 3 });
    expect(() => service.set({ section: 'calls', value: { ...service.get('calls'), transferTimeoutS: 2 } })).toThrow();
    expect(() => service.set({ section: 'calls', value: { ...service.get('calls'), noMediaWarningS: 0 } })).toThrow();
    service.set({ section: 'calls', value: { ...service.get('calls'), noMediaWarningS: 5 } });
    expect(service.get('calls').noMediaWarningS).toBe(5);
  });

  it('migrates a version-4 file to v5: the shortcuts are kept and the knowledge search gets Ctrl+Shift+K', () => {
    const dir = tmpDir();
    const v4 = { ...defaultSettings(), schemaVersion: 4, locale: 'en-US', shortcuts: { ...v4Shortcuts(), answer: 'F9' } };
    fs.writeFileSync(file(dir), JSON.stringify(v4));
    const { service } = openSettings(dir);
    expect(service.getAll()).toEqual({ ...v4, schemaVersion: 6, shortcuts: { ...v4.shortcuts, searchKnowledge: 'CommandOrControl+Shift+K' } });
    const [notice] = service.notices();
    expect(notice).toMatchObject({ kind: 'migrated', fromVersion: 4 });
    expect(readJson(path.join(dir, notice!.backupFile!))).toEqual(v4);
    expect(readJson(file(dir)).shortcuts.searchKnowledge).toBe('CommandOrControl+Shift+K');
  });

  it('migrates a version-5 file to v6: everything kept, no favourite transfer targets yet; favourites are numbers, once each, at most 20', () => {
    const dir = tmpDir();
    const { transfers: _t, ...rest } = defaultSettings();
    const v5 = { ...rest, schemaVersion: 5, locale: 'en-US', calls: { ...rest.calls, wrapUpS: 90 } };
    fs.writeFileSync(file(dir), JSON.stringify(v5));
    const { service } = openSettings(dir);
    expect(service.getAll()).toEqual({ ...v5, schemaVersion: 6, transfers: { favourites: [] } });
    expect(service.notices()[0]).toMatchObject({ kind: 'migrated', fromVersion: 5 });
    service.set({ section: 'transfers', value: { favourites: ['12366', '110'] } });
    expect(openSettings(dir).service.get('transfers')).toEqual({ favourites: ['12366', '110'] });
    for (const favourites of [['12366', '12366'], ['tax'], Array.from({ length: 21 }, (_, i) => String(12300 + i))]) {
      expect(() => service.set({ section: 'transfers', value: { favourites } })).toThrow();
    }
  });

  it('migrates a version-4 file whose keys already include Ctrl+Shift+K with the knowledge search unassigned', () => {
    const dir = tmpDir();
    const v4 = { ...defaultSettings(), schemaVersion: 4, shortcuts: { ...v4Shortcuts(), hold: 'Ctrl+Shift+K' } };
    fs.writeFileSync(file(dir), JSON.stringify(v4));
    const { service } = openSettings(dir);
    expect(service.get('shortcuts')).toEqual({ ...v4.shortcuts, searchKnowledge: '' });
    // Nothing to report in the settings: hold keeps its keys, the search waits for the agent's.
    const bindings = new ShortcutRegistry(recordingPorts().globalShortcut, () => undefined).apply(service.get('shortcuts'));
    expect(bindings.filter((b) => b.problem)).toEqual([]);
    expect(bindings.find((b) => b.action === 'searchKnowledge')).toEqual({ action: 'searchKnowledge', accelerator: '', registered: false });
  });

  it('recovers from a corrupt file: defaults, a backup with the original bytes, a notice', () => {
    const dir = tmpDir();
    const garbage = '{"schemaVersion": 2, "locale": "en-US", ';
    fs.writeFileSync(file(dir), garbage);
    const { service, sink } = openSettings(dir);
    expect(service.getAll()).toEqual(defaultSettings());
    const [notice] = service.notices();
    expect(notice?.kind).toBe('recoveredCorrupt');
    expect(fs.readFileSync(path.join(dir, notice!.backupFile!), 'utf8')).toBe(garbage);
    expect(readJson(file(dir))).toEqual(defaultSettings());
    expect(sink.entries.some((e) => e.level === 'warn' && /not valid JSON/.test(e.message))).toBe(true);
  });

  it('recovers from a file that parses but breaks the schema', () => {
    const dir = tmpDir();
    const broken = { ...defaultSettings(), locale: 'fr-FR', extra: true };
    fs.writeFileSync(file(dir), JSON.stringify(broken));
    const { service } = openSettings(dir);
    expect(service.get('locale')).toBe('zh-CN');
    const [notice] = service.notices();
    expect(notice?.kind).toBe('recoveredInvalid');
    expect(readJson(path.join(dir, notice!.backupFile!))).toEqual(broken);
  });

  it('treats a file from a newer app version as invalid rather than guessing', () => {
    const dir = tmpDir();
    fs.writeFileSync(file(dir), JSON.stringify({ ...defaultSettings(), schemaVersion: 99 }));
    const { service } = openSettings(dir);
    expect(service.notices()[0]?.kind).toBe('recoveredInvalid');
    expect(service.getAll().schemaVersion).toBe(SETTINGS_VERSION);
  });

  it('notifies listeners on change and on reset', () => {
    const dir = tmpDir();
    const { service } = openSettings(dir);
    const seen: string[] = [];
    service.onChanged((s) => seen.push(s.ui.theme));
    service.set({ section: 'ui', value: { theme: 'dark', compact: true } });
    service.reset('ui');
    expect(seen).toEqual(['dark', 'light']);
  });
});

describe('migrate', () => {
  it('refuses documents without a version and versions with no path', () => {
    expect(() => migrate({}, 2)).toThrow(MigrationError);
    expect(() => migrate({ schemaVersion: 0 }, 2)).toThrow(MigrationError);
    expect(() => migrate({ schemaVersion: 1 }, 3, {})).toThrow(/no migration from settings version 1/);
  });
  it('checks that each step advances exactly one version', () => {
    expect(() => migrate({ schemaVersion: 1 }, 2, { 1: () => ({ schemaVersion: 3 }) })).toThrow(/produced version 3/);
  });

  const searchKeysAfter = (mute: string) =>
    (migrate({ ...defaultSettings(), schemaVersion: 4, shortcuts: { ...v4Shortcuts(), mute } }, 5).doc.shortcuts as Record<string, string>).searchKnowledge;

  it.each(['CommandOrControl+Shift+K', 'cmdorctrl+shift+k', 'Ctrl+Shift+K', 'Shift+Control+K', 'Command+Shift+K'])(
    'v4 → v5: %s on another action (the same keys on Windows/Linux or macOS) leaves the search unassigned',
    (mute) => expect(searchKeysAfter(mute)).toBe(''),
  );

  it.each(['', 'Alt+Shift+K', 'CommandOrControl+K', 'CommandOrControl+Alt+Shift+K', 'CommandOrControl+Shift+L', 'Ctrl+Shift+Nope'])(
    'v4 → v5: %j on another action is no clash',
    (mute) => expect(searchKeysAfter(mute)).toBe('CommandOrControl+Shift+K'),
  );
});

/** The shortcuts as v4 had them (no searchKnowledge). */
function v4Shortcuts() {
  const { searchKnowledge: _s, ...v4 } = defaultSettings().shortcuts;
  return v4;
}
