import { describe, expect, it } from 'vitest';
import { formatAccelerator, matchesAccelerator, type KeyPress } from '../../shared/shortcuts/format';

const press = (code: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key: code.replace(/^(Key|Digit)/, '').toLowerCase(),
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('accelerators in the agent’s notation', () => {
  it('shows CommandOrControl as Ctrl on Windows and Linux', () => {
    expect(formatAccelerator('CommandOrControl+Shift+A')).toBe('Ctrl+Shift+A');
    expect(formatAccelerator('CmdOrCtrl+shift+h')).toBe('Ctrl+Shift+H');
    expect(formatAccelerator('Control+Alt+Return')).toBe('Ctrl+Alt+Enter');
  });
  it('shows ⌘ on macOS', () => {
    expect(formatAccelerator('CommandOrControl+Shift+A', 'mac')).toBe('⌘+Shift+A');
    expect(formatAccelerator('Alt+F2', 'mac')).toBe('Option+F2');
  });
  it('keeps function keys and names arrows and Plus', () => {
    expect(formatAccelerator('F9')).toBe('F9');
    expect(formatAccelerator('Ctrl+Up')).toBe('Ctrl+↑');
    expect(formatAccelerator('Ctrl++')).toBe('Ctrl++');
  });
  it('gives nothing for an invalid accelerator', () => {
    expect(formatAccelerator('')).toBe('');
    expect(formatAccelerator('Hyper+A')).toBe('');
  });
});

describe('matching a key press in the window', () => {
  it('matches the exact modifiers and key', () => {
    expect(matchesAccelerator('CommandOrControl+Shift+A', press('KeyA', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesAccelerator('CommandOrControl+Shift+A', press('KeyA', { ctrlKey: true }))).toBe(false);
    expect(matchesAccelerator('CommandOrControl+Shift+A', press('KeyA', { ctrlKey: true, shiftKey: true, altKey: true }))).toBe(false);
    expect(matchesAccelerator('CommandOrControl+Shift+A', press('KeyB', { ctrlKey: true, shiftKey: true }))).toBe(false);
  });
  it('uses ⌘ for CommandOrControl on macOS', () => {
    expect(matchesAccelerator('CommandOrControl+Shift+A', press('KeyA', { metaKey: true, shiftKey: true }), 'mac')).toBe(true);
    expect(matchesAccelerator('CommandOrControl+Shift+A', press('KeyA', { ctrlKey: true, shiftKey: true }), 'mac')).toBe(false);
  });
  it('reads the key from its code, so Shift does not change it', () => {
    expect(matchesAccelerator('Ctrl+Shift+1', { ...press('Digit1', { ctrlKey: true, shiftKey: true }), key: '!' })).toBe(true);
    expect(matchesAccelerator('F9', press('F9'))).toBe(true);
    expect(matchesAccelerator('F9', press('F9', { shiftKey: true }))).toBe(false);
  });
  it('never matches an invalid accelerator', () => {
    expect(matchesAccelerator('nonsense', press('KeyA'))).toBe(false);
  });
});
