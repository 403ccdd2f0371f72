/** Drafts: one per call, bound to it, saved while typing, restored after a restart. */
import { useSessionStore } from '../../renderer/src/session/session-store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  activateDraft,
  bindCall,
  discardDraft,
  editDraft,
  newDraft,
  ordersSettled,
  startOrders,
  stopOrders,
  submitDraft,
  useOrdersStore,
} from '../../renderer/src/orders/orders-store';
import { type CallView, addCall, updateCall } from '../../renderer/src/phone/call-store';
import { createLocalCipher } from '../../renderer/src/local-data/sealed';
import { openDraftRow } from '../../renderer/src/orders/local/records';
import { DraftSaver } from '../../renderer/src/orders/local/draft-saver';
import { NAME, PHONE, PHONE_2, KEYS, answered, ended, ringing, setUp, tearDown, until, validForm } from './orders-harness';

afterEach(async () => {
  vi.useRealTimers();
  await tearDown();
});

const drafts = () => Object.values(useOrdersStore.getState().drafts);
const draftOf = (callId: string) => drafts().find((d) => d.call?.callId === callId)!;

describe('a draft per call', () => {
  it('creates the pop and the draft once per call, with defaults from the call and the dialled line', async () => {
    await setUp();
    const binding = { callId: 'c1@pbx', direction: 'inbound' as const, remoteNumber: '+86' + PHONE, dialled: '12333', ringAt: Date.now() };
    bindCall(binding);
    bindCall(binding);
    expect(drafts()).toHaveLength(1);
    const d = draftOf('c1@pbx');
    expect(d.form).toMatchObject({ channel: 'phone', callerPhone: PHONE, contact: PHONE, categoryCode: '03.01', handlingUnit: 'HRSS' });
    expect(d.call).toEqual(binding);
    // The pop first: it is shown with what this seat knows of the caller, then the form shows the draft.
    expect(useOrdersStore.getState().activeDraftId).toBeNull();
    await until(() => useOrdersStore.getState().pops['c1@pbx'] !== undefined);
    expect(useOrdersStore.getState().pops['c1@pbx']).toMatchObject({ numberMasked: '138****5678', dialled: '12333', line: { number: '12333' } });
    await until(() => useOrdersStore.getState().activeDraftId !== null);
    expect(useOrdersStore.getState().activeDraftId).toBe(d.id);
    await ordersSettled();
  });

  it('follows the softphone: ringing binds, answer and end set the times, the call-log row is linked after the end', async () => {
    const env = await setUp();
    const t0 = Date.now();
    addCall(ringing('c2@pbx', PHONE, '12345', t0), true);
    const d = draftOf('c2@pbx');
    expect(d.call).toMatchObject({ callId: 'c2@pbx', ringAt: t0, remoteNumber: PHONE, dialled: '12345' });
    updateCall('c2@pbx', (c) => answered(c, t0 + 5_000));
    expect(draftOf('c2@pbx').call?.answerAt).toBe(t0 + 5_000);
    editDraft(d.id, { content: '通话中记录的诉求' });
    updateCall('c2@pbx', (c) => ended(c, t0 + 60_000));
    expect(draftOf('c2@pbx').call?.endAt).toBe(t0 + 60_000);
    // The call log writes its row a little after the end: the link is retried until it is there.
    await new Promise((r) => setTimeout(r, 100));
    env.callLog.rows.set('c2@pbx', { id: 'c2@pbx', direction: 'inbound', startedAt: t0, result: 'answered', remoteNumber: PHONE });
    await until(() => env.callLog.links.length === 1);
    expect(env.callLog.links[0]).toEqual({ callId: 'c2@pbx', workOrderId: d.id });
  });

  it('in a page, makes the draft after the frame that paints the ringing call', async () => {
    await setUp();
    const frames: FrameRequestCallback[] = [];
    const g = globalThis as unknown as { requestAnimationFrame?: unknown; cancelAnimationFrame?: unknown };
    g.requestAnimationFrame = (cb: FrameRequestCallback) => frames.push(cb);
    g.cancelAnimationFrame = () => undefined;
    try {
      addCall(ringing('p1@pbx'), true);
      expect(Object.values(useOrdersStore.getState().drafts).some((d) => d.call?.callId === 'p1@pbx')).toBe(false);
      for (const cb of frames.splice(0)) cb(performance.now());
      expect(Object.values(useOrdersStore.getState().drafts).some((d) => d.call?.callId === 'p1@pbx')).toBe(false);
      await until(() => Object.values(useOrdersStore.getState().drafts).some((d) => d.call?.callId === 'p1@pbx'));
    } finally {
      delete g.requestAnimationFrame;
      delete g.cancelAnimationFrame;
    }
  });

  it('drops the draft of a call that ended untouched (missed, nothing typed), with its pop; keeps one the agent typed into', async () => {
    const env = await setUp();
    addCall(ringing('m1@pbx'), true);
    const untouched = draftOf('m1@pbx');
    updateCall('m1@pbx', (c) => ended(c));
    expect(useOrdersStore.getState().drafts[untouched.id]).toBeUndefined();
    expect(useOrdersStore.getState().pops['m1@pbx']).toBeUndefined();
    addCall(ringing('m2@pbx', PHONE_2), true);
    const typed = draftOf('m2@pbx');
    editDraft(typed.id, { title: '已记录' });
    updateCall('m2@pbx', (c) => ended(c));
    expect(useOrdersStore.getState().drafts[typed.id]?.state).toBe('open');
    await ordersSettled();
    await env.restart();
    expect(Object.keys(useOrdersStore.getState().drafts)).toEqual([typed.id]);
  });

  it('gives a dialled call its draft once it is under way, and none when the number was busy', async () => {
    await setUp();
    const dialing: CallView = { id: 'o1@pbx', remoteName: '', remoteNumber: PHONE_2, state: { kind: 'dialing', direction: 'outbound', since: Date.now() } };
    addCall(dialing, true);
    expect(Object.values(useOrdersStore.getState().drafts)).toHaveLength(0);
    updateCall('o1@pbx', (c) => ({ ...c, state: { kind: 'early', direction: 'outbound', since: Date.now() } }));
    expect(draftOf('o1@pbx').call?.direction).toBe('outbound');
    addCall({ ...dialing, id: 'o2@pbx' }, false);
    updateCall('o2@pbx', (c) => ({ ...c, state: { kind: 'ended', direction: 'outbound', since: Date.now(), reason: 'busy', sipCode: 486 } }));
    expect(Object.values(useOrdersStore.getState().drafts).some((d) => d.call?.callId === 'o2@pbx')).toBe(false);
  });

  it('does not make a draft for a consultation call', async () => {
    await setUp();
    addCall({ ...ringing('c3@pbx'), consult: true }, true);
    expect(drafts()).toHaveLength(0);
  });

  it('queues a call that rings before the database is open', async () => {
    await setUp({ start: false });
    bindCall({ callId: 'early@pbx', direction: 'inbound', remoteNumber: PHONE, ringAt: Date.now() });
    await startOrders();
    expect(draftOf('early@pbx')).toBeDefined();
    await ordersSettled();
  });
});

describe('saving and restoring', () => {
  it('restores open drafts after a restart, bound to their calls, newest first, the live call active', async () => {
    const env = await setUp();
    const t0 = Date.now();
    addCall(ringing('a@pbx', PHONE, '12345', t0 - 2_000), true);
    addCall(ringing('b@pbx', PHONE_2, '12345', t0 - 1_000), false);
    const a = draftOf('a@pbx');
    const b = draftOf('b@pbx');
    editDraft(a.id, { title: '噪音投诉', callerName: NAME });
    editDraft(b.id, { content: '咨询社保' });
    const cb = newDraft();
    editDraft(cb, { callerPhone: PHONE_2 });
    // b's call ends; a's is still up.
    updateCall('b@pbx', (c) => ended(c));
    await ordersSettled();
    await env.restart();

    const s = useOrdersStore.getState();
    expect(Object.keys(s.drafts).sort()).toEqual([a.id, b.id, cb].sort());
    expect(s.drafts[a.id]!.form).toMatchObject({ title: '噪音投诉', callerName: NAME, callerPhone: PHONE });
    expect(s.drafts[a.id]!.call?.callId).toBe('a@pbx');
    expect(s.drafts[b.id]!.call?.endAt).toBeDefined();
    expect(s.drafts[cb]!.call).toBeUndefined();
    expect(s.activeDraftId).toBe(a.id); // the one whose call is live
    expect(s.myOrders.filter((o) => o.draft).map((o) => o.id)).toEqual([cb, b.id, a.id]); // newest first
  });

  it('marks the newest draft active when no call is live', async () => {
    const env = await setUp();
    const first = newDraft();
    await new Promise((r) => setTimeout(r, 5));
    const second = newDraft();
    activateDraft(first);
    expect(useOrdersStore.getState().activeDraftId).toBe(first);
    await ordersSettled();
    await env.restart();
    expect(useOrdersStore.getState().activeDraftId).toBe(second);
  });

  it('keeps the draft of a live call in the form when a second call rings (call waiting)', async () => {
    await setUp();
    addCall(ringing('one@pbx'), true);
    const one = draftOf('one@pbx');
    updateCall('one@pbx', (c) => answered(c));
    await ordersSettled();
    addCall(ringing('two@pbx', PHONE_2), false);
    const two = draftOf('two@pbx');
    await ordersSettled();
    expect(useOrdersStore.getState().activeDraftId).toBe(one.id);
    activateDraft(two.id);
    expect(useOrdersStore.getState().activeDraftId).toBe(two.id);
    await ordersSettled();
  });

  it('clears a field error when the agent edits that field', async () => {
    await setUp();
    const id = newDraft();
    const r = await submitDraft(id);
    expect(r.ok).toBe(false);
    const fields = useOrdersStore.getState().drafts[id]!.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'content', 'requestType']));
    editDraft(id, { title: '标题' });
    const after = useOrdersStore.getState().drafts[id]!.errors.map((e) => e.field);
    expect(after).not.toContain('title');
    expect(after).toContain('content');
    await ordersSettled();
  });

  it('writes unsaved changes at once on pagehide', async () => {
    const env = await setUp();
    const id = newDraft();
    await ordersSettled();
    editDraft(id, { content: 'pagehide 前输入' });
    (window as unknown as EventTarget).dispatchEvent(new Event('pagehide'));
    await ordersSettled();
    const raw = env.raw();
    const row = await raw.drafts.get(id);
    const d = await openDraftRow(raw, await createLocalCipher(KEYS), row!);
    expect(d?.form.content).toBe('pagehide 前输入');
    raw.close();
  });

  it('moves a malformed draft row aside instead of failing the start', async () => {
    const env = await setUp();
    const id = newDraft();
    await ordersSettled();
    await stopOrders();
    const raw = env.raw();
    await raw.drafts.put({ id: 'not-a-uuid', state: 'open', createdAt: Date.now(), updatedAt: Date.now(), sealed: { iv: new Uint8Array(12), data: new ArrayBuffer(4) } });
    await raw.drafts.put({ ...(await raw.drafts.get(id))!, id: crypto.randomUUID() }); // sealed under another id: does not open
    raw.close();
    await startOrders();
    expect(Object.keys(useOrdersStore.getState().drafts)).toEqual([id]);
    const check = env.raw();
    expect(await check.quarantine.count()).toBe(2);
    expect(await check.drafts.count()).toBe(1);
    check.close();
    expect(env.platform.logs.some((l) => l.message === 'malformed local row moved aside')).toBe(true);
  });

  it('leaves memory and screen on sign-out; the drafts stay saved for the next start', async () => {
    const env = await setUp();
    const id = newDraft();
    editDraft(id, { content: '交班前未提交的草稿' });
    await ordersSettled();
    useSessionStore.setState({ status: { state: 'signedOut' } });
    await until(() => useOrdersStore.getState().status === 'idle');
    expect(useOrdersStore.getState().drafts).toEqual({});
    await env.restart();
    expect(useOrdersStore.getState().drafts[id]?.form.content).toBe('交班前未提交的草稿');
  });

  it('discards a draft: not restored, never sent', async () => {
    const env = await setUp();
    const id = newDraft();
    editDraft(id, validForm());
    await discardDraft(id);
    expect(useOrdersStore.getState().drafts[id]!.state).toBe('discarded');
    await env.restart();
    expect(useOrdersStore.getState().drafts[id]).toBeUndefined();
    const raw = env.raw();
    expect((await raw.drafts.get(id))?.state).toBe('discarded');
    expect(await raw.outbox.count()).toBe(0);
    raw.close();
  });
});

describe('the loss window', () => {
  it('loses at most 300 ms of continuous typing (fake clock, real fake-indexeddb writes)', async () => {
    const env = await setUp();
    const id = newDraft();
    await ordersSettled();
    const cipher = await createLocalCipher(KEYS);
    const raw = env.raw();
    const durableContent = async () => {
      const row = await raw.drafts.get(id);
      return row ? ((await openDraftRow(raw, cipher, row))?.form.content ?? '') : '';
    };

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const STEP = 20; // a keystroke every 20 ms for 3 s
    const typedAt: number[] = [];
    let text = '';
    let worst = 0;
    let firstUnsaved = 0;
    let slowest = 0;
    for (let i = 0; i < 150; i++) {
      text += '字';
      typedAt.push(Date.now());
      editDraft(id, { content: text });
      await vi.advanceTimersByTimeAsync(STEP);
      const t = performance.now();
      await ordersSettled(); // let the real IndexedDB write finish (the fake clock stands still)
      slowest = Math.max(slowest, performance.now() - t);
      const saved = (await durableContent()).length;
      // Oldest keystroke not durable yet: how much would a crash now lose?
      while (firstUnsaved < saved) firstUnsaved++;
      if (firstUnsaved < typedAt.length) worst = Math.max(worst, Date.now() - typedAt[firstUnsaved]!);
    }
    vi.useRealTimers();
    raw.close();
    console.info(`draft loss window: worst ${worst} ms of typing not yet durable on the fake clock (+ the write itself: slowest seal+put ${slowest.toFixed(1)} ms real)`);
    expect(worst).toBeLessThanOrEqual(300);
    expect(worst).toBeGreaterThan(0);
  });

  it('never writes an older snapshot over a newer one', async () => {
    const writes: string[] = [];
    let current = 'a';
    let release: () => void = () => undefined;
    const saver = new DraftSaver({
      read: () => ({ id: 'x', state: 'open', form: { content: current } as never, createdAt: 0, updatedAt: 0 }),
      write: async (d) => {
        await new Promise<void>((r) => (release = r));
        writes.push((d.form as unknown as { content: string }).content);
      },
      saved: () => undefined,
      failed: () => undefined,
    });
    const tick = () => new Promise((r) => setImmediate(r));
    const first = saver.saveNow('x');
    await tick(); // the first write has read 'a' and is under way
    current = 'ab';
    const second = saver.saveNow('x');
    current = 'abc';
    release();
    await first;
    await tick();
    release();
    await second;
    expect(writes).toEqual(['a', 'abc']);
    expect(saver.hasPending('x')).toBe(false);
  });
});
