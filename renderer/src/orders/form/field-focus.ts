/**
 * Putting the keyboard in an order field, also before the form is on screen. The form of a call's
 * draft mounts a frame or two after the call is answered (it loads lazily and is rendered after
 * the urgent updates), and an agent presses Alt+N the moment they hear the caller: the request is
 * kept for a short while and honoured when the form mounts, instead of being lost.
 *
 * Free of React and antd, so that the shell can use it without loading the form.
 */
import type { OrderFormField } from '../../../../shared/orders/order-form';
import { fieldId } from './field-ids';

/** How long a request waits for the form (longer, and focus would jump at an unexpected moment). */
export const PENDING_FOCUS_MS = 2_000;

let pending: { readonly field: OrderFormField; readonly until: number } | null = null;

/** Put the keyboard in a field (its input, or the checked / first choice of a group); false when it is not on screen. */
export function focusField(field: OrderFormField): boolean {
  const el = document.getElementById(fieldId(field));
  if (!el) return false;
  const target = el.matches('input, textarea, button')
    ? el
    : (el.querySelector<HTMLElement>('input:checked') ?? el.querySelector<HTMLElement>('input:not([type="hidden"]), textarea, button, [tabindex]:not([tabindex="-1"])'));
  (target ?? el).focus();
  (target ?? el).scrollIntoView?.({ block: 'nearest' });
  return true;
}

/** Focus the field now, or as soon as the form mounts (within PENDING_FOCUS_MS). */
export function requestFieldFocus(field: OrderFormField, now: number = performance.now()): void {
  pending = focusField(field) ? null : { field, until: now + PENDING_FOCUS_MS };
}

/** The form mounted: honour a request that is still fresh (once). */
export function takePendingFocus(now: number = performance.now()): void {
  const request = pending;
  pending = null;
  if (request && now <= request.until) focusField(request.field);
}
