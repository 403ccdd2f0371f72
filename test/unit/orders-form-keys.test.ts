/** The order form's shortcuts, and that none fires while an input method composes. */
import { describe, expect, it } from 'vitest';
import { dispositionAccelerator, isComposing, orderShortcutOf, type OrderKeyPress } from '../../renderer/src/orders/form/keys';

const press = (code: string, key: string, mods: Partial<OrderKeyPress> = {}): OrderKeyPress => ({
  code,
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('order shortcuts', () => {
  it('Ctrl+Enter submits (⌘+Enter on macOS), also from the keypad', () => {
    expect(orderShortcutOf(press('Enter', 'Enter', { ctrlKey: true }))).toBe('submit');
    expect(orderShortcutOf(press('NumpadEnter', 'Enter', { ctrlKey: true }))).toBe('submit');
    expect(orderShortcutOf(press('Enter', 'Enter', { metaKey: true }), 'mac')).toBe('submit');
    expect(orderShortcutOf(press('Enter', 'Enter'))).toBeUndefined();
    expect(orderShortcutOf(press('Enter', 'Enter', { ctrlKey: true, shiftKey: true }))).toBeUndefined();
  });

  it('Alt+1…5 choose the disposition in order', () => {
    expect(orderShortcutOf(press('Digit1', '1', { altKey: true }))).toEqual({ disposition: 'answered' });
    expect(orderShortcutOf(press('Digit2', '2', { altKey: true }))).toEqual({ disposition: 'dispatched' });
    expect(orderShortcutOf(press('Digit3', '3', { altKey: true }))).toEqual({ disposition: 'transferred' });
    expect(orderShortcutOf(press('Digit4', '4', { altKey: true }))).toEqual({ disposition: 'emergency' });
    expect(orderShortcutOf(press('Digit5', '5', { altKey: true }))).toEqual({ disposition: 'notAccepted' });
    expect(orderShortcutOf(press('Digit6', '6', { altKey: true }))).toBeUndefined();
    expect(orderShortcutOf(press('Digit1', '1'))).toBeUndefined();
    expect(dispositionAccelerator('notAccepted')).toBe('Alt+5');
  });

  it('Alt+N / Alt+C / Alt+D jump to name, content, disposition (by key position, Option on macOS)', () => {
    expect(orderShortcutOf(press('KeyN', 'n', { altKey: true }))).toBe('focusCaller');
    expect(orderShortcutOf(press('KeyC', 'c', { altKey: true }))).toBe('focusContent');
    expect(orderShortcutOf(press('KeyD', 'd', { altKey: true }))).toBe('focusDisposition');
    expect(orderShortcutOf(press('KeyN', '˜', { altKey: true }), 'mac')).toBe('focusCaller');
    expect(orderShortcutOf(press('KeyN', 'N', { altKey: true, shiftKey: true }))).toBeUndefined();
    expect(orderShortcutOf(press('KeyN', 'n'))).toBeUndefined();
  });

  it('fires nothing while an input method is composing', () => {
    expect(isComposing({ isComposing: true })).toBe(true);
    expect(isComposing({ keyCode: 229 })).toBe(true);
    expect(isComposing({ key: 'Process' })).toBe(true);
    expect(isComposing({ keyCode: 13, key: 'Enter' })).toBe(false);
    expect(orderShortcutOf(press('Enter', 'Enter', { ctrlKey: true, isComposing: true }))).toBeUndefined();
    expect(orderShortcutOf(press('Enter', 'Process', { ctrlKey: true, keyCode: 229 }))).toBeUndefined();
    expect(orderShortcutOf(press('Digit1', '1', { altKey: true, keyCode: 229 }))).toBeUndefined();
    expect(orderShortcutOf(press('KeyN', 'n', { altKey: true, isComposing: true }))).toBeUndefined();
  });

  it('never repeats an action for a held key (a held Ctrl+Enter must not submit the next draft)', () => {
    expect(orderShortcutOf(press('Enter', 'Enter', { ctrlKey: true, repeat: true }))).toBeUndefined();
    expect(orderShortcutOf(press('Digit2', '2', { altKey: true, repeat: true }))).toBeUndefined();
    expect(orderShortcutOf(press('KeyN', 'n', { altKey: true, repeat: true }))).toBeUndefined();
  });
});
