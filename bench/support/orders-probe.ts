/**
 * Injected into the workstation page (init script) by the orders benchmark: the call benchmark's
 * probe (clock, "shown" frames, the INVITE reaching the page) plus what the orders figures need.
 * Reads only the DOM the agent sees (data-testids) and the page's IndexedDB, without hooks in the
 * app's code.
 *
 *   popShown        the frame that paints the pop of THE ringing call (data-call-id = the Call-ID of
 *                   the INVITE the page received last) with at least one local history order row;
 *                   popCardShown: the same pop without rows yet; ringingShown: call-state 来电振铃.
 *   keystrokes      every keydown in the content field (capture phase), on both clocks; a poller
 *                   reads the active draft's row from IndexedDB every ~5 ms and stamps, for each
 *                   keystroke, the first read whose `updatedAt` is at or after it.
 *   submitAt        the click on order-submit (capture phase); numberShown: the frame that paints
 *                   `order-number`; submittedShown: the frame that paints the success notice.
 */
import { installProbe, now } from './call-probe';

export interface Keystroke {
  /** Epoch ms, performance clock (latency). */
  at: number;
  /** Date.now() at the keydown: the clock of the draft's updatedAt. */
  wall: number;
  /** When a read first found the draft saved with this keystroke (performance clock). */
  persisted?: number;
}

export interface OrdersProbe {
  /** Call-ID of the last INVITE that reached the page. */
  callId: string | null;
  keystrokes: Keystroke[];
  reset(): void;
  /** Poll the draft's row every `intervalMs` until stopPersistWatch. */
  startPersistWatch(draftId: string, intervalMs: number): Promise<void>;
  stopPersistWatch(): void;
  /** Reads done by the poller, and how long they took (ms, p50 and max). */
  pollStats(): { reads: number; p50: number; max: number };
}

declare global {
  interface Window {
    ordersProbe: OrdersProbe;
  }
}

const probe = installProbe();

if (!window.ordersProbe) {
  const keystrokes: Keystroke[] = [];
  let watching: { stop: boolean } | undefined;
  const readTimes: number[] = [];

  const orders: OrdersProbe = {
    callId: null,
    keystrokes,
    reset() {
      probe.reset();
      orders.callId = null;
      keystrokes.length = 0;
      readTimes.length = 0;
    },
    async startPersistWatch(draftId, intervalMs) {
      orders.stopPersistWatch();
      const token = { stop: false };
      watching = token;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('hotline-workstation-orders');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('indexedDB.open failed'));
      });
      db.onversionchange = () => db.close();
      const read = () =>
        new Promise<number | undefined>((resolve, reject) => {
          const req = db.transaction('drafts', 'readonly').objectStore('drafts').get(draftId);
          req.onsuccess = () => resolve((req.result as { updatedAt?: number } | undefined)?.updatedAt);
          req.onerror = () => reject(req.error ?? new Error('read failed'));
        });
      void (async () => {
        try {
          while (!token.stop) {
            const t0 = now();
            const updatedAt = await read();
            const t = now();
            readTimes.push(t - t0);
            if (updatedAt !== undefined) for (const k of keystrokes) if (k.persisted === undefined && k.wall <= updatedAt) k.persisted = t;
            await new Promise((r) => setTimeout(r, intervalMs));
          }
        } finally {
          db.close();
        }
      })();
    },
    stopPersistWatch() {
      if (watching) watching.stop = true;
      watching = undefined;
    },
    pollStats() {
      const s = [...readTimes].sort((a, b) => a - b);
      return { reads: s.length, p50: s[Math.floor(s.length / 2)] ?? NaN, max: s[s.length - 1] ?? NaN };
    },
  };
  window.ordersProbe = orders;

  // The Call-ID of each INVITE reaching the page (the SIP transport is the page's only WebSocket;
  // call-probe's own listener, registered before this one, stamps `inviteArrived`).
  const Probed = window.WebSocket;
  class CallIdWebSocket extends Probed {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data !== 'string' || !event.data.startsWith('INVITE ')) return;
        const id = /^(?:Call-ID|i)\s*:\s*(\S+)\s*$/im.exec(event.data)?.[1];
        if (id) orders.callId = id;
      });
    }
  }
  window.WebSocket = CallIdWebSocket;

  const el = (testId: string) => document.querySelector(`[data-testid="${testId}"]`);
  const popOfCall = () => (orders.callId ? document.querySelector(`[data-testid="pop"][data-call-id="${CSS.escape(orders.callId)}"]`) : null);
  probe.whenShown('ringingShown', () => el('call-state')?.textContent === '来电振铃');
  probe.whenShown('popCardShown', () => popOfCall() !== null);
  probe.whenShown('popShown', () => !!popOfCall()?.querySelector('[data-testid="pop-history-order"][data-source="local"]'));
  probe.whenShown('submittedShown', () => el('order-submitted') !== null);
  probe.whenShown('numberShown', () => (el('order-number')?.textContent ?? '').trim() !== '');

  window.addEventListener(
    'keydown',
    (event) => {
      const target = event.target instanceof Element ? event.target.closest('[data-testid]') : null;
      if (target?.getAttribute('data-testid') === 'field-content') keystrokes.push({ at: now(), wall: Date.now() });
    },
    { capture: true },
  );
  window.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target.closest('[data-testid]') : null;
      if (target?.getAttribute('data-testid') === 'order-submit') probe.mark('submitAt', now());
    },
    { capture: true },
  );
}
