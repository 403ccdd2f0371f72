/**
 * Accelerators in the agent's notation: Electron's "CommandOrControl+Shift+A" is shown as
 * "Ctrl+Shift+A" on Windows and Linux and "⌘+Shift+A" on macOS; and matching a key press in the
 * window against an accelerator (the in-window keys use the same accelerators as the global ones).
 */
import { checkAccelerator } from './accelerator';

export type ShortcutPlatform = 'mac' | 'other';

const NAMES_OTHER: Readonly<Record<string, string>> = {
  CommandOrControl: 'Ctrl',
  Control: 'Ctrl',
  Command: 'Win',
  Super: 'Win',
  Alt: 'Alt',
  AltGr: 'AltGr',
  Shift: 'Shift',
  Return: 'Enter',
  Escape: 'Esc',
  Up: '↑',
  Down: '↓',
  Left: '←',
  Right: '→',
  Plus: '+',
};
const NAMES_MAC: Readonly<Record<string, string>> = { ...NAMES_OTHER, CommandOrControl: '⌘', Command: '⌘', Control: 'Ctrl', Super: '⌘', Alt: 'Option' };

/** The accelerator as the agent reads it; '' for an invalid one. */
export function formatAccelerator(accelerator: string, platform: ShortcutPlatform = 'other'): string {
  const check = checkAccelerator(accelerator);
  if (!check.ok) return '';
  const names = platform === 'mac' ? NAMES_MAC : NAMES_OTHER;
  return check.normalized
    .split('+')
    .map((p) => names[p] ?? p)
    .join('+');
}

/** What a keydown says (the fields of KeyboardEvent this needs). */
export interface KeyPress {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** The key part of a press in accelerator spelling (from `code`, so Shift+1 is still "1"). */
function keyOf(e: KeyPress): string | undefined {
  const code = /^Key([A-Z])$/.exec(e.code) ?? /^Digit([0-9])$/.exec(e.code);
  if (code) return code[1];
  if (/^F\d{1,2}$/.test(e.code)) return e.code;
  const named: Record<string, string> = { Space: 'Space', Tab: 'Tab', Enter: 'Return', Escape: 'Escape', Backspace: 'Backspace', Delete: 'Delete', Insert: 'Insert', Home: 'Home', End: 'End', PageUp: 'PageUp', PageDown: 'PageDown', ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right' };
  if (named[e.code]) return named[e.code];
  return e.key.length === 1 ? e.key.toUpperCase() : undefined;
}

/** True when the press is the accelerator (modifiers exactly as given). */
export function matchesAccelerator(accelerator: string, e: KeyPress, platform: ShortcutPlatform = 'other'): boolean {
  const check = checkAccelerator(accelerator);
  if (!check.ok) return false;
  const parts = check.normalized.split('+');
  const key = parts.pop();
  const mods = new Set(parts);
  const primary = platform === 'mac' ? e.metaKey : e.ctrlKey;
  const wantCtrl = mods.has('Control') || (mods.has('CommandOrControl') && platform !== 'mac');
  const wantMeta = mods.has('Command') || mods.has('Super') || (mods.has('CommandOrControl') && platform === 'mac');
  if (mods.has('CommandOrControl') && !primary) return false;
  if (e.ctrlKey !== wantCtrl || e.metaKey !== wantMeta) return false;
  if (e.altKey !== (mods.has('Alt') || mods.has('AltGr')) || e.shiftKey !== mods.has('Shift')) return false;
  return keyOf(e) === key;
}
