/** Alt+N / Alt+C / Alt+D pressed before the form is on screen still land in the field. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PENDING_FOCUS_MS, requestFieldFocus, takePendingFocus } from '../../renderer/src/orders/form/field-focus';

/** A page whose elements appear when the test mounts them; records which one got the focus. */
function fakePage() {
  const mounted = new Map<string, { focus: () => void; matches: () => boolean }>();
  const focused: string[] = [];
  (globalThis as { document?: unknown }).document = { getElementById: (id: string) => mounted.get(id) ?? null };
  return {
    focused,
    mount(id: string) {
      mounted.set(id, { focus: () => focused.push(id), matches: () => true });
    },
  };
}

describe('field focus', () => {
  let page: ReturnType<typeof fakePage>;
  beforeEach(() => {
    page = fakePage();
    takePendingFocus(0); // no request left over from another test
  });
  afterEach(() => delete (globalThis as { document?: unknown }).document);

  it('focuses a field that is on screen at once', () => {
    page.mount('order-field-content');
    requestFieldFocus('content', 0);
    expect(page.focused).toEqual(['order-field-content']);
    // Nothing pending: the next form that mounts does not take the focus again.
    takePendingFocus(1);
    expect(page.focused).toEqual(['order-field-content']);
  });

  it('keeps the request until the form mounts, and honours it once', () => {
    requestFieldFocus('callerName', 1_000);
    expect(page.focused).toEqual([]);
    page.mount('order-field-callerName');
    takePendingFocus(1_000 + PENDING_FOCUS_MS);
    expect(page.focused).toEqual(['order-field-callerName']);
    takePendingFocus(1_000 + PENDING_FOCUS_MS);
    expect(page.focused).toEqual(['order-field-callerName']);
  });

  it('drops a request the form did not come for in time (focus never jumps later)', () => {
    requestFieldFocus('callerName', 1_000);
    page.mount('order-field-callerName');
    takePendingFocus(1_001 + PENDING_FOCUS_MS);
    expect(page.focused).toEqual([]);
  });

  it('the latest request wins', () => {
    requestFieldFocus('callerName', 0);
    requestFieldFocus('content', 0);
    page.mount('order-field-callerName');
    page.mount('order-field-content');
    takePendingFocus(10);
    expect(page.focused).toEqual(['order-field-content']);
  });
});
