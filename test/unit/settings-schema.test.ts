/**
 * The settings document's schema (shared/settings/schema.ts), field by field: every length limit
 * and number range at the limit and one past it, every pattern with a near miss, the messages an
 * agent or administrator sees when a value is refused, and the exact defaults of a new seat.
 *
 * The schema objects are built when the module is loaded, so each test loads a fresh copy of the
 * module (vi.resetModules + import): the module's own code then runs inside the test, which is what
 * mutation testing needs to attribute it to these tests.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as SchemaModule from '../../shared/settings/schema';
import { checkAccelerator } from '../../shared/shortcuts/accelerator';

let s: typeof SchemaModule;

beforeEach(async () => {
  vi.resetModules();
  s = await import('../../shared/settings/schema');
});

const sip = () => s.defaultSettings().sip;
const calls = () => s.defaultSettings().calls;
const audio = () => s.defaultSettings().audio;

/** The messages of a refused value (empty when it is accepted). */
function messages(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : (r.error?.issues.map((i) => i.message) ?? ['refused']);
}

const ok = (schema: Parameters<typeof messages>[0], value: unknown) => schema.safeParse(value).success;

describe('isLoopbackUrl (module loaded in the test)', () => {
  it.each(['ws://127.0.0.1', 'ws://127.255.255.254', 'http://127.10.200.3:8080', 'ws://127.1'])('%s is this machine', (url) => {
    expect(s.isLoopbackUrl(url)).toBe(true);
  });
  it.each([
    'http://127.0.0.1.nip.io',
    'ws://128.0.0.1',
    'ws://1.127.0.1',
    // Another scheme's host is not parsed as an address: a name that ends like 127.0.0.1 is a name.
    'foo://a.127.0.0.1',
    'foo://x127.0.0.1',
    'foo://127.0.0.1x',
    'foo://127.a.0.1',
    'foo://127.0.a.1',
    'foo://127.0.0.a',
  ])('%s is not', (url) => {
    expect(s.isLoopbackUrl(url)).toBe(false);
  });
});

describe('SIP settings', () => {
  it('accept the defaults', () => {
    expect(ok(s.sipSettingsSchema, sip())).toBe(true);
  });

  it('take a ws:// or wss:// server URL of up to 512 characters, or none', () => {
    const url = (length: number) => 'wss://sip.example/' + 'a'.repeat(length - 'wss://sip.example/'.length);
    expect(ok(s.sipSettingsSchema, { ...sip(), serverUrl: '' })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), serverUrl: 'wss://sip.example/ws' })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), serverUrl: 'ws://127.0.0.1:5066' })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), serverUrl: url(512) })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), serverUrl: url(513) })).toBe(false);
    for (const bad of ['https://sip.example', 'http://sip.example', 'not a url', 'wss//sip.example']) {
      expect(messages(s.sipSettingsSchema, { ...sip(), serverUrl: bad }), bad).toEqual(['must be a ws:// or wss:// URL']);
    }
  });

  it('take plain text fields up to their length, without control characters', () => {
    for (const [field, max] of [
      ['domain', 253],
      ['authUser', 64],
      ['displayName', 64],
    ] as const) {
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: 'a'.repeat(max) }), `${field} ${max}`).toBe(true);
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: 'a'.repeat(max + 1) }), `${field} ${max + 1}`).toBe(false);
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: '' }), `${field} empty`).toBe(true);
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: 'Agent 7 · 坐席' }), `${field} text`).toBe(true);
      for (const control of ['a\u0000b', 'a\nb', 'a\u001fb', 'a\u007fb']) {
        expect(messages(s.sipSettingsSchema, { ...sip(), [field]: control }), `${field} ${JSON.stringify(control)}`).toEqual(['must not contain control characters']);
      }
    }
  });

  it('take an extension of up to 32 letters, digits, dots, underscores and dashes', () => {
    expect(ok(s.sipSettingsSchema, { ...sip(), extension: '' })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), extension: '8001' })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), extension: 'agent.7_b-2' })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), extension: 'a'.repeat(32) })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), extension: 'a'.repeat(33) })).toBe(false);
    for (const bad of ['80 01', '8001@evil', '@8001', '8001;x', '#']) {
      expect(messages(s.sipSettingsSchema, { ...sip(), extension: bad }), bad).toEqual(['letters, digits, . _ - only']);
    }
  });

  it('take up to 8 STUN/TURN server URLs of up to 256 characters', () => {
    const ice = (length: number) => 'turns:' + 'a'.repeat(length - 'turns:'.length);
    expect(ok(s.sipSettingsSchema, { ...sip(), iceServers: ['stun:stun.example:3478', 'turn:turn.example', 'turns:turn.example:5349'] })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), iceServers: [ice(256)] })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), iceServers: [ice(257)] })).toBe(false);
    expect(ok(s.sipSettingsSchema, { ...sip(), iceServers: Array(8).fill('stun:s.example') })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), iceServers: Array(9).fill('stun:s.example') })).toBe(false);
    for (const bad of ['xstun:s.example', ' turn:t.example', 'http://s.example', 'stuns:s.example', 'turnss:t.example']) {
      expect(messages(s.sipSettingsSchema, { ...sip(), iceServers: [bad] }), bad).toEqual(['stun:, turn: or turns: URL']);
    }
  });

  it('bound the ICE gathering timeout (50–10,000 ms) and the registration expiry (60–3,600 s)', () => {
    for (const [field, min, max] of [
      ['iceGatheringTimeoutMs', 50, 10_000],
      ['registerExpiresS', 60, 3600],
    ] as const) {
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: min }), `${field} ${min}`).toBe(true);
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: max }), `${field} ${max}`).toBe(true);
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: min - 1 }), `${field} ${min - 1}`).toBe(false);
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: max + 1 }), `${field} ${max + 1}`).toBe(false);
      expect(ok(s.sipSettingsSchema, { ...sip(), [field]: min + 0.5 }), `${field} fraction`).toBe(false);
    }
  });

  it('take one to four known codecs', () => {
    expect(ok(s.sipSettingsSchema, { ...sip(), codecs: ['PCMA'] })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), codecs: ['opus', 'G722', 'PCMU', 'PCMA'] })).toBe(true);
    expect(ok(s.sipSettingsSchema, { ...sip(), codecs: [] })).toBe(false);
    expect(ok(s.sipSettingsSchema, { ...sip(), codecs: ['opus', 'G722', 'PCMU', 'PCMA', 'opus'] })).toBe(false);
    expect(ok(s.sipSettingsSchema, { ...sip(), codecs: ['G729'] })).toBe(false);
  });
});

describe('call settings', () => {
  it.each([
    ['autoAnswerAfterS', 0, 30],
    ['wrapUpS', 0, 1800],
    ['wrapUpExtendS', 10, 600],
    ['transferTimeoutS', 5, 300],
    ['noMediaWarningS', 1, 30],
  ] as const)('%s runs from %d to %d whole seconds', (field, min, max) => {
    expect(ok(s.callSettingsSchema, { ...calls(), [field]: min })).toBe(true);
    expect(ok(s.callSettingsSchema, { ...calls(), [field]: max })).toBe(true);
    expect(ok(s.callSettingsSchema, { ...calls(), [field]: min - 1 })).toBe(false);
    expect(ok(s.callSettingsSchema, { ...calls(), [field]: max + 1 })).toBe(false);
    expect(ok(s.callSettingsSchema, { ...calls(), [field]: min + 0.5 })).toBe(false);
  });
});

describe('audio settings', () => {
  it('take device ids of up to 256 characters', () => {
    for (const field of ['microphoneId', 'headsetOutputId', 'ringerOutputId'] as const) {
      expect(ok(s.audioSettingsSchema, { ...audio(), [field]: 'd'.repeat(256) }), field).toBe(true);
      expect(ok(s.audioSettingsSchema, { ...audio(), [field]: 'd'.repeat(257) }), field).toBe(false);
    }
  });

  it('take a ringer volume from 0 to 1', () => {
    for (const v of [0, 0.25, 1]) expect(ok(s.audioSettingsSchema, { ...audio(), ringerVolume: v }), String(v)).toBe(true);
    for (const v of [-0.01, 1.01, 2]) expect(ok(s.audioSettingsSchema, { ...audio(), ringerVolume: v }), String(v)).toBe(false);
  });
});

describe('platform settings', () => {
  it('take an http:// or https:// address of up to 512 characters, or none', () => {
    const base = { baseUrl: '', rememberedAccount: '' };
    expect(ok(s.platformSettingsSchema, base)).toBe(true);
    expect(ok(s.platformSettingsSchema, { ...base, baseUrl: 'https://platform.example' })).toBe(true);
    expect(ok(s.platformSettingsSchema, { ...base, baseUrl: 'http://127.0.0.1:8345' })).toBe(true);
    const url = 'https://p.example/' + 'a'.repeat(512 - 'https://p.example/'.length);
    expect(ok(s.platformSettingsSchema, { ...base, baseUrl: url })).toBe(true);
    expect(ok(s.platformSettingsSchema, { ...base, baseUrl: url + 'a' })).toBe(false);
    for (const bad of ['wss://platform.example', 'ftp://platform.example', 'platform.example']) {
      expect(messages(s.platformSettingsSchema, { ...base, baseUrl: bad }), bad).toEqual(['must be an http:// or https:// URL']);
    }
    expect(ok(s.platformSettingsSchema, { ...base, rememberedAccount: 'a'.repeat(64) })).toBe(true);
    expect(ok(s.platformSettingsSchema, { ...base, rememberedAccount: 'a'.repeat(65) })).toBe(false);
  });
});

describe('shortcuts', () => {
  const shortcuts = () => s.defaultSettings().shortcuts;

  it('take a valid accelerator or none', () => {
    expect(ok(s.shortcutsSchema, shortcuts())).toBe(true);
    expect(ok(s.shortcutsSchema, { ...shortcuts(), answer: '' })).toBe(true);
    expect(ok(s.shortcutsSchema, { ...shortcuts(), answer: 'F9' })).toBe(true);
  });

  it('refuse what is not an accelerator, and anything over 64 characters', () => {
    for (const bad of ['Ctrl+', 'not a key', 'CommandOrControl+Shift+Nope']) {
      expect(messages(s.shortcutsSchema, { ...shortcuts(), hold: bad }), bad).toEqual(['not a valid accelerator']);
    }
    // Padding is trimmed by the accelerator check, so only the length limit refuses these.
    expect(ok(s.shortcutsSchema, { ...shortcuts(), hold: ' '.repeat(62) + 'F9' })).toBe(true);
    expect(messages(s.shortcutsSchema, { ...shortcuts(), hold: ' '.repeat(63) + 'F9' })).toHaveLength(1);
  });
});

describe('defaults of a new seat', () => {
  it('are exactly these', () => {
    expect(s.defaultSettings()).toEqual({
      schemaVersion: 6,
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
      calls: {
        autoAnswer: false,
        autoAnswerAfterS: 2,
        callWaiting: true,
        dtmfMode: 'rfc4733',
        wrapUpS: 30,
        wrapUpExtendS: 30,
        transferTimeoutS: 30,
        noMediaWarningS: 2,
      },
      audio: { microphoneId: '', headsetOutputId: '', ringerOutputId: '', ringerVolume: 0.6 },
      platform: { baseUrl: 'http://127.0.0.1:8345', rememberedAccount: '' },
      shortcuts: {
        answer: 'CommandOrControl+Shift+A',
        hangup: 'CommandOrControl+Shift+H',
        mute: 'CommandOrControl+Shift+M',
        hold: 'CommandOrControl+Shift+P',
        toggleReady: 'CommandOrControl+Shift+R',
        searchKnowledge: 'CommandOrControl+Shift+K',
      },
      ui: { theme: 'light', compact: false },
      transfers: { favourites: [] },
    });
    expect(s.settingsSchema.safeParse(s.defaultSettings()).success).toBe(true);
  });

  it('are the v3, v4 and v5 additions the migrations use', () => {
    expect(s.callAndAudioDefaults()).toEqual({
      calls: { autoAnswer: false, autoAnswerAfterS: 2, callWaiting: true, dtmfMode: 'rfc4733', wrapUpS: 30, wrapUpExtendS: 30 },
      audio: { microphoneId: '', headsetOutputId: '', ringerOutputId: '', ringerVolume: 0.6 },
    });
    expect(s.v4CallDefaults()).toEqual({ transferTimeoutS: 30, noMediaWarningS: 2 });
    expect(s.v5ShortcutDefaults()).toEqual({ searchKnowledge: 'CommandOrControl+Shift+K' });
  });

  it('give every shortcut action valid keys of its own', () => {
    const shortcuts = s.defaultSettings().shortcuts;
    expect(Object.keys(shortcuts)).toEqual([...s.SHORTCUT_ACTIONS]);
    const normalized = s.SHORTCUT_ACTIONS.map((a) => checkAccelerator(shortcuts[a]));
    expect(normalized.every((c) => c.ok)).toBe(true);
    expect(new Set(normalized.map((c) => (c.ok ? c.normalized : ''))).size).toBe(s.SHORTCUT_ACTIONS.length);
  });
});
