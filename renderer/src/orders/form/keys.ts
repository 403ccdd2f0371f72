/**
 * The order form's keyboard shortcuts. None fires while an input method is composing (Chinese
 * pinyin input sends keydowns with isComposing / keyCode 229 — Enter there picks a candidate).
 *
 * Alt+1…5 choose the disposition only while focus is inside the order form; elsewhere Alt+1…4
 * keep jumping between the shell's regions (regions.ts).
 */
import { DISPOSITIONS } from '../../../../shared/orders/work-order';
import { matchesAccelerator, type KeyPress, type ShortcutPlatform } from '../../../../shared/shortcuts/format';

export type Disposition = (typeof DISPOSITIONS)[number];
export type OrderShortcut = 'submit' | 'focusCaller' | 'focusContent' | 'focusDisposition' | { disposition: Disposition };

/** Accelerators in Electron's spelling (shown with formatAccelerator). */
export const ORDER_ACCELERATORS = {
  submit: 'CommandOrControl+Return',
  focusCaller: 'Alt+N',
  focusContent: 'Alt+C',
  focusDisposition: 'Alt+D',
} as const;

/** Alt+1 即时答复 … Alt+5 不予受理, in the order of DISPOSITIONS. */
export function dispositionAccelerator(d: Disposition): string {
  return `Alt+${DISPOSITIONS.indexOf(d) + 1}`;
}

export interface OrderKeyPress extends KeyPress {
  readonly isComposing?: boolean;
  readonly keyCode?: number;
  readonly repeat?: boolean;
}

/** An input method is composing: the key belongs to it. */
export function isComposing(e: { readonly isComposing?: boolean; readonly keyCode?: number; readonly key?: string }): boolean {
  return !!e.isComposing || e.keyCode === 229 || e.key === 'Process';
}

/** The shortcut a keydown stands for, if any. */
export function orderShortcutOf(e: OrderKeyPress, platform: ShortcutPlatform = 'other'): OrderShortcut | undefined {
  // A held key never repeats an action (a held Ctrl+Enter must not submit the next draft too).
  if (isComposing(e) || e.repeat) return undefined;
  if (matchesAccelerator(ORDER_ACCELERATORS.submit, e, platform) || (e.code === 'NumpadEnter' && (platform === 'mac' ? e.metaKey : e.ctrlKey) && !e.altKey && !e.shiftKey)) {
    return 'submit';
  }
  if (matchesAccelerator(ORDER_ACCELERATORS.focusCaller, e, platform)) return 'focusCaller';
  if (matchesAccelerator(ORDER_ACCELERATORS.focusContent, e, platform)) return 'focusContent';
  if (matchesAccelerator(ORDER_ACCELERATORS.focusDisposition, e, platform)) return 'focusDisposition';
  const d = DISPOSITIONS.find((x) => matchesAccelerator(dispositionAccelerator(x), e, platform));
  return d ? { disposition: d } : undefined;
}
