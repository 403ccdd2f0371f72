/**
 * The workstation's settings: one versioned, validated document. Main owns the file; the renderer
 * reads and changes it section by section through `settings:*` IPC. Secrets never live here.
 */
import { z } from 'zod';
import { checkAccelerator } from '../shortcuts/accelerator';

export const SETTINGS_VERSION = 6;

export const LOCALES = ['zh-CN', 'en-US'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

/** An IPv4 address as the URL parser writes it (it turns 127.1, 0x7f.1 or 2130706433 into dotted quads). */
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * True when a URL points at this machine (plain ws:// or http:// allowed there without the
 * administrator override): `localhost`, an address in 127.0.0.0/8, or `[::1]`. A name that merely
 * starts with "127." (127.0.0.1.nip.io, 127.evil.example) is another machine.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  if (host === 'localhost' || host === '[::1]') return true;
  const quad = IPV4.exec(host);
  return quad !== null && quad[1] === '127';
}

/** A URL with one of the given schemes, or '' for "not configured". */
const urlWithScheme = (schemes: readonly string[], message: string) =>
  z
    .string()
    .max(512)
    .refine((v) => {
      if (v === '') return true;
      try {
        return schemes.includes(new URL(v).protocol);
        // Stryker disable next-line BlockStatement: an empty catch returns undefined, which zod's refine refuses with the same message.
      } catch {
        return false;
      }
    }, message);

const wsUrl = urlWithScheme(['wss:', 'ws:'], 'must be a ws:// or wss:// URL');
const httpUrl = urlWithScheme(['https:', 'http:'], 'must be an http:// or https:// URL');

const plainText = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters');

export const CODECS = ['opus', 'G722', 'PCMU', 'PCMA'] as const;

export const sipSettingsSchema = z
  .object({
    serverUrl: wsUrl,
    domain: plainText(253),
    extension: z.string().max(32).regex(/^[0-9A-Za-z._-]*$/, 'letters, digits, . _ - only'),
    authUser: plainText(64),
    displayName: plainText(64),
    iceServers: z.array(z.string().max(256).regex(/^(stun|turns?):/, 'stun:, turn: or turns: URL')).max(8),
    iceGatheringTimeoutMs: z.number().int().min(50).max(10_000),
    registerExpiresS: z.number().int().min(60).max(3600),
    codecs: z.array(z.enum(CODECS)).min(1).max(CODECS.length),
    /** Administrator override: permit ws:// to non-loopback hosts (shown as insecure). */
    allowInsecureWs: z.boolean(),
    /** Echo cancellation, noise suppression and gain control on the microphone. */
    audioProcessing: z.boolean(),
  })
  .strict();

export const DTMF_MODES = ['rfc4733', 'info'] as const;

/** How calls are handled at this seat (v3; `transferTimeoutS` and `noMediaWarningS` since v4). */
export const callSettingsSchema = z
  .object({
    /** Answer offered calls by themselves after `autoAnswerAfterS` seconds, with a beep. */
    autoAnswer: z.boolean(),
    autoAnswerAfterS: z.number().int().min(0).max(30),
    /** A second call while one is up is shown (and can be answered, holding the first). */
    callWaiting: z.boolean(),
    /** RFC 4733 telephone-events in the media (SIP INFO when the far end does not offer them), or SIP INFO always. */
    dtmfMode: z.enum(DTMF_MODES),
    /** After-call work: seconds until the agent is made Ready again (0 = stays until the agent chooses). */
    wrapUpS: z.number().int().min(0).max(1800),
    /** Seconds one "extend" adds to the wrap-up. */
    wrapUpExtendS: z.number().int().min(10).max(600),
    /** Seconds a transfer may take until the target answers; then the caller is back with the agent (v4). */
    transferTimeoutS: z.number().int().min(5).max(300),
    /** Seconds without the far end's audio (after answer, resume, re-INVITE, device or network change) before the no-media warning (v4). */
    noMediaWarningS: z.number().int().min(1).max(30),
  })
  .strict();

/** Audio devices by WebRTC deviceId ('' = the system default). Hot-plug falls back to the default. */
export const audioSettingsSchema = z
  .object({
    microphoneId: z.string().max(256),
    headsetOutputId: z.string().max(256),
    ringerOutputId: z.string().max(256),
    ringerVolume: z.number().min(0).max(1),
  })
  .strict();

export const platformSettingsSchema = z
  .object({
    baseUrl: httpUrl,
    rememberedAccount: plainText(64),
  })
  .strict();

/** Call control, and (v5) `searchKnowledge`: the window forward, the cursor in the knowledge search. */
export const SHORTCUT_ACTIONS = ['answer', 'hangup', 'mute', 'hold', 'toggleReady', 'searchKnowledge'] as const;
export const shortcutActionSchema = z.enum(SHORTCUT_ACTIONS);
export type ShortcutAction = z.infer<typeof shortcutActionSchema>;

const accelerator = z
  .string()
  .max(64)
  .refine((v) => v === '' || checkAccelerator(v).ok, 'not a valid accelerator');

export const shortcutsSchema = z
  .object({
    answer: accelerator,
    hangup: accelerator,
    mute: accelerator,
    hold: accelerator,
    toggleReady: accelerator,
    searchKnowledge: accelerator,
  })
  .strict();

export const uiSettingsSchema = z
  .object({
    theme: z.enum(['light', 'dark']),
    compact: z.boolean(),
  })
  .strict();

/** (v6) The agent's favourite transfer targets, by number, in the order they were starred. */
export const transferSettingsSchema = z
  .object({
    favourites: z
      .array(z.string().regex(/^\d{3,12}$/))
      .max(20)
      .refine((l) => new Set(l).size === l.length, 'a favourite is listed once'),
  })
  .strict();

export const settingsSchema = z
  .object({
    schemaVersion: z.literal(SETTINGS_VERSION),
    locale: localeSchema,
    sip: sipSettingsSchema,
    calls: callSettingsSchema,
    audio: audioSettingsSchema,
    platform: platformSettingsSchema,
    shortcuts: shortcutsSchema,
    ui: uiSettingsSchema,
    transfers: transferSettingsSchema,
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsSection = Exclude<keyof Settings, 'schemaVersion'>;
export const SETTINGS_SECTIONS = ['locale', 'sip', 'calls', 'audio', 'platform', 'shortcuts', 'ui', 'transfers'] as const satisfies readonly SettingsSection[];
export const settingsSectionSchema = z.enum(SETTINGS_SECTIONS);

export const sectionSchemas = {
  locale: localeSchema,
  sip: sipSettingsSchema,
  calls: callSettingsSchema,
  audio: audioSettingsSchema,
  platform: platformSettingsSchema,
  shortcuts: shortcutsSchema,
  ui: uiSettingsSchema,
  transfers: transferSettingsSchema,
} as const satisfies { [K in SettingsSection]: z.ZodType<Settings[K]> };

export function defaultSettings(): Settings {
  return {
    schemaVersion: SETTINGS_VERSION,
    locale: 'zh-CN',
    sip: {
      serverUrl: '',
      domain: '',
      extension: '',
      authUser: '',
      displayName: '',
      iceServers: [],
      iceGatheringTimeoutMs: 500,
      registerExpiresS: 600,
      codecs: ['opus', 'G722', 'PCMA', 'PCMU'],
      allowInsecureWs: false,
      audioProcessing: true,
    },
    ...callAndAudioDefaults(),
    calls: { ...callAndAudioDefaults().calls, ...v4CallDefaults() },
    platform: { baseUrl: 'http://127.0.0.1:8345', rememberedAccount: '' },
    shortcuts: {
      answer: 'CommandOrControl+Shift+A',
      hangup: 'CommandOrControl+Shift+H',
      mute: 'CommandOrControl+Shift+M',
      hold: 'CommandOrControl+Shift+P',
      toggleReady: 'CommandOrControl+Shift+R',
      ...v5ShortcutDefaults(),
    },
    ui: { theme: 'light', compact: false },
    ...v6TransferDefaults(),
  };
}

/** The section added in v6, shared by the defaults and the v5 → v6 migration. */
export function v6TransferDefaults(): Pick<Settings, 'transfers'> {
  return { transfers: { favourites: [] } };
}

/** The shortcut added in v5, shared by the defaults and the v4 → v5 migration. */
export function v5ShortcutDefaults(): Pick<Settings['shortcuts'], 'searchKnowledge'> {
  return { searchKnowledge: 'CommandOrControl+Shift+K' };
}

/** The `calls` fields added in v4, shared by the defaults and the v3 → v4 migration. */
export function v4CallDefaults(): Pick<Settings['calls'], 'transferTimeoutS' | 'noMediaWarningS'> {
  return { transferTimeoutS: 30, noMediaWarningS: 2 };
}

/** The sections added in v3 (as they were in v3), shared by the defaults and the v2 → v3 migration. */
export function callAndAudioDefaults(): { calls: Omit<Settings['calls'], keyof ReturnType<typeof v4CallDefaults>>; audio: Settings['audio'] } {
  return {
    calls: { autoAnswer: false, autoAnswerAfterS: 2, callWaiting: true, dtmfMode: 'rfc4733', wrapUpS: 30, wrapUpExtendS: 30 },
    audio: { microphoneId: '', headsetOutputId: '', ringerOutputId: '', ringerVolume: 0.6 },
  };
}
