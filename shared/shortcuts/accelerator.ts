/**
 * Keyboard accelerators in Electron's syntax ("CommandOrControl+Shift+A"), validated and normalised
 * here so that settings, the shortcut registry and the settings UI agree on what is valid.
 */
const MODIFIERS = new Map<string, string>([
  ['commandorcontrol', 'CommandOrControl'],
  ['cmdorctrl', 'CommandOrControl'],
  ['control', 'Control'],
  ['ctrl', 'Control'],
  ['command', 'Command'],
  ['cmd', 'Command'],
  ['alt', 'Alt'],
  ['option', 'Alt'],
  ['altgr', 'AltGr'],
  ['shift', 'Shift'],
  ['super', 'Super'],
  ['meta', 'Super'],
]);

const NAMED_KEYS = [
  'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12',
  'F13', 'F14', 'F15', 'F16', 'F17', 'F18', 'F19', 'F20', 'F21', 'F22', 'F23', 'F24',
  'Space', 'Tab', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter', 'Up', 'Down', 'Left',
  'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'Esc', 'Plus',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9',
  'numadd', 'numsub', 'nummult', 'numdiv', 'numdec',
  'MediaPlayPause', 'MediaStop', 'MediaNextTrack', 'MediaPreviousTrack',
  'VolumeUp', 'VolumeDown', 'VolumeMute',
];
const NAMED = new Map(NAMED_KEYS.map((k) => [k.toLowerCase(), k]));
const SINGLE = /^[A-Za-z0-9)!@#$%^&*(:;'"<>?,./\\[\]{}|`~=_-]$/;

export type AcceleratorCheck = { ok: true; normalized: string } | { ok: false; reason: string };

/** Validate an accelerator and return its canonical spelling (for duplicate detection). */
export function checkAccelerator(input: string): AcceleratorCheck {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  if (trimmed.length > 64) return { ok: false, reason: 'too long' };
  const parts = trimmed.split('+');
  // "Ctrl++" means Ctrl and Plus.
  if (trimmed.endsWith('++')) {
    parts.splice(parts.length - 2, 2, 'Plus');
  }
  const keyPart = parts.pop() ?? '';
  const mods = new Set<string>();
  for (const raw of parts) {
    const mod = MODIFIERS.get(raw.trim().toLowerCase());
    if (!mod) return { ok: false, reason: `unknown modifier "${raw}"` };
    if (mods.has(mod)) return { ok: false, reason: `repeated modifier "${raw}"` };
    mods.add(mod);
  }
  const keyRaw = keyPart.trim();
  let key: string | undefined = NAMED.get(keyRaw.toLowerCase());
  if (!key && SINGLE.test(keyRaw)) key = keyRaw.toUpperCase();
  if (!key) return { ok: false, reason: `unknown key "${keyRaw}"` };
  if (key === 'Enter') key = 'Return';
  if (key === 'Esc') key = 'Escape';
  // A global shortcut without a modifier would steal the key from every application,
  // except function keys which call centres commonly dedicate to telephony.
  if (mods.size === 0 && !/^F\d+$/.test(key) && !key.startsWith('Media')) {
    return { ok: false, reason: 'needs a modifier (Ctrl, Alt, Shift…) or a function key' };
  }
  const order = ['CommandOrControl', 'Command', 'Control', 'Super', 'Alt', 'AltGr', 'Shift'];
  const sorted = order.filter((m) => mods.has(m));
  return { ok: true, normalized: [...sorted, key].join('+') };
}
