/**
 * The settings service: loads, migrates and validates the settings document, recovers from a
 * corrupt or invalid file (the file is kept as a backup and the agent is told), and persists
 * section updates. Storage is a small interface so the service runs on electron-store in the app
 * and on its base class `conf` in tests and the Chromium bridge (same file format).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  SETTINGS_VERSION,
  defaultSettings,
  sectionSchemas,
  settingsSchema,
  type Settings,
  type SettingsSection,
} from '../../shared/settings/schema';
import type { SettingsNotice, SettingsUpdate } from '../../shared/settings/ipc';
import type { Logger } from '../logging/logger';
import { migrate } from './migrations';

/** The part of electron-store / conf the service uses. */
export interface DocumentStore {
  readonly path: string;
  store: Record<string, unknown>;
}
export type DocumentStoreFactory = () => DocumentStore;

export interface SettingsServiceOptions {
  open: DocumentStoreFactory;
  /** Where the settings file lives, for backups when the store cannot even be opened. */
  filePath: string;
  logger: Logger;
  now?: () => number;
}

type Listener = (settings: Settings) => void;

export class SettingsService {
  private current: Settings;
  private readonly store: DocumentStore;
  private readonly listeners = new Set<Listener>();
  private readonly startupNotices: SettingsNotice[] = [];
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(options: SettingsServiceOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.logger.child('settings');
    this.store = this.openStore(options);
    this.current = this.load(options.filePath);
  }

  getAll(): Settings {
    return structuredClone(this.current);
  }

  get<K extends SettingsSection>(section: K): Settings[K] {
    return structuredClone(this.current[section]);
  }

  set(update: SettingsUpdate): Settings {
    const value = sectionSchemas[update.section].parse(update.value);
    const next = settingsSchema.parse({ ...this.current, [update.section]: value });
    this.persist(next);
    this.log.info('settings section changed', { section: update.section });
    return this.getAll();
  }

  reset(section: SettingsSection): Settings {
    const next = { ...this.current, [section]: defaultSettings()[section] } as Settings;
    this.persist(next);
    this.log.info('settings section reset', { section });
    return this.getAll();
  }

  notices(): SettingsNotice[] {
    return [...this.startupNotices];
  }

  onChanged(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private persist(next: Settings): void {
    this.store.store = next as unknown as Record<string, unknown>;
    this.current = next;
    for (const l of this.listeners) l(this.getAll());
  }

  private openStore(options: SettingsServiceOptions): DocumentStore {
    try {
      const store = options.open();
      // conf parses lazily on first read; force it here so a corrupt file surfaces now.
      void store.store;
      return store;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      const backupFile = this.backup(options.filePath, 'corrupt', true);
      this.log.warn('settings file was not valid JSON; replaced with defaults', { backupFile });
      this.startupNotices.push({ kind: 'recoveredCorrupt', backupFile, at: this.now() });
      return options.open();
    }
  }

  private load(filePath: string): Settings {
    const raw = this.store.store;
    if (Object.keys(raw).length === 0) {
      const fresh = defaultSettings();
      this.store.store = fresh as unknown as Record<string, unknown>;
      return fresh;
    }
    try {
      const { doc, from } = migrate(raw, SETTINGS_VERSION);
      const parsed = settingsSchema.safeParse(doc);
      if (!parsed.success) {
        throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      }
      if (from !== SETTINGS_VERSION) {
        const backupFile = this.backup(filePath, `v${from}`, false);
        this.store.store = parsed.data as unknown as Record<string, unknown>;
        this.startupNotices.push({ kind: 'migrated', fromVersion: from, backupFile, at: this.now() });
        this.log.info('settings migrated', { from, to: SETTINGS_VERSION });
      }
      return parsed.data;
    } catch (error) {
      const backupFile = this.backup(filePath, 'invalid', false);
      this.log.warn('settings file failed validation; replaced with defaults', {
        backupFile,
        reason: error instanceof Error ? error.message : String(error),
      });
      this.startupNotices.push({ kind: 'recoveredInvalid', backupFile, at: this.now() });
      const fresh = defaultSettings();
      this.store.store = fresh as unknown as Record<string, unknown>;
      return fresh;
    }
  }

  /** Keep the old file beside the new one: settings.<tag>-<time>.json. Returns the file name. */
  private backup(filePath: string, tag: string, move: boolean): string {
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const ext = path.extname(filePath) || '.json';
    const name = `${path.basename(filePath, ext)}.${tag}-${stamp}${ext}`;
    const target = path.join(path.dirname(filePath), name);
    if (move) fs.renameSync(filePath, target);
    else fs.copyFileSync(filePath, target);
    return name;
  }
}
