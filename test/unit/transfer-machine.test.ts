import { describe, expect, it } from 'vitest';
import {
  idleTransfer,
  isTransferFinal,
  isTransferPending,
  TRANSFER_EVENT_TYPES,
  transferFailureOf,
  transferTransition,
  type TransferEvent,
  type TransferState,
} from '../../shared/phone/transfer-machine';
import { parseSipfrag, parseSubscriptionState, sipfragFor } from '../../shared/phone/sipfrag';

const NOW = 1000;

const STATES: Record<string, TransferState> = {
  idle: idleTransfer,
  requested: { kind: 'requested', since: 1 },
  acceptedTrying: { kind: 'accepted', since: 1, progress: 'trying' },
  acceptedRinging: { kind: 'accepted', since: 1, progress: 'ringing' },
  succeeded: { kind: 'succeeded', since: 1, code: 200 },
  failed: { kind: 'failed', since: 1, reason: 'busy', code: 486 },
};

const EVENTS: Record<string, TransferEvent> = {
  refer: { type: 'refer' },
  referAccepted: { type: 'referAccepted' },
  referRejected403: { type: 'referRejected', code: 403 },
  referRejectedNoCode: { type: 'referRejected' },
  notify100: { type: 'notify', code: 100 },
  notify180: { type: 'notify', code: 180 },
  notify183: { type: 'notify', code: 183 },
  notify200: { type: 'notify', code: 200 },
  notify202: { type: 'notify', code: 202 },
  notify302: { type: 'notify', code: 302 },
  notify404: { type: 'notify', code: 404 },
  notify408: { type: 'notify', code: 408 },
  notify480: { type: 'notify', code: 480 },
  notify486: { type: 'notify', code: 486 },
  notify503: { type: 'notify', code: 503 },
  notify603: { type: 'notify', code: 603 },
  notifyBad: { type: 'notify', code: 99 },
  notifyBig: { type: 'notify', code: 700 },
  subscriptionEnded: { type: 'subscriptionEnded' },
  timeout: { type: 'timeout' },
  callEnded: { type: 'callEnded' },
};

const pending = { kind: 'requested' as const };
const F = (reason: string, code?: number) => ({ kind: 'failed', since: NOW, reason, ...(code !== undefined ? { code } : {}) });
const A = (progress: 'trying' | 'ringing') => ({ kind: 'accepted', since: NOW, progress });
const S = (code: number) => ({ kind: 'succeeded', since: NOW, code });

/** What each event does from requested / accepted(trying) / accepted(ringing); undefined = refused. */
const LIVE_TABLE: Record<string, [requested: unknown, trying: unknown, ringing: unknown]> = {
  refer: [undefined, undefined, undefined],
  referAccepted: [A('trying'), undefined, undefined],
  referRejected403: [F('referRejected', 403), undefined, undefined],
  referRejectedNoCode: [F('referRejected'), undefined, undefined],
  notify100: [A('trying'), A('trying'), A('ringing')],
  notify180: [A('ringing'), A('ringing'), A('ringing')],
  notify183: [A('ringing'), A('ringing'), A('ringing')],
  notify200: [S(200), S(200), S(200)],
  notify202: [S(202), S(202), S(202)],
  notify302: [F('failed', 302), F('failed', 302), F('failed', 302)],
  notify404: [F('notFound', 404), F('notFound', 404), F('notFound', 404)],
  notify408: [F('noAnswer', 408), F('noAnswer', 408), F('noAnswer', 408)],
  notify480: [F('noAnswer', 480), F('noAnswer', 480), F('noAnswer', 480)],
  notify486: [F('busy', 486), F('busy', 486), F('busy', 486)],
  notify503: [F('failed', 503), F('failed', 503), F('failed', 503)],
  notify603: [F('declined', 603), F('declined', 603), F('declined', 603)],
  notifyBad: [undefined, undefined, undefined],
  notifyBig: [undefined, undefined, undefined],
  subscriptionEnded: [F('subscriptionEnded'), F('subscriptionEnded'), F('subscriptionEnded')],
  timeout: [F('timeout'), F('timeout'), F('timeout')],
  callEnded: [F('callEnded'), F('callEnded'), F('callEnded')],
};

describe('transfer state machine: every event in every state', () => {
  it('the tables cover every event type', () => {
    const types = new Set(Object.values(EVENTS).map((e) => e.type));
    expect([...types].sort()).toEqual([...TRANSFER_EVENT_TYPES].sort());
    expect(Object.keys(LIVE_TABLE).sort()).toEqual(Object.keys(EVENTS).sort());
  });

  for (const [name, event] of Object.entries(EVENTS)) {
    it(`idle: only refer is taken (${name})`, () => {
      const next = transferTransition(STATES.idle!, event, NOW);
      if (event.type === 'refer') expect(next).toEqual({ ...pending, since: NOW });
      else expect(next).toBeUndefined();
    });

    for (const [i, state] of (['requested', 'acceptedTrying', 'acceptedRinging'] as const).entries()) {
      it(`${state} + ${name}`, () => {
        const want = LIVE_TABLE[name]![i];
        const next = transferTransition(STATES[state]!, event, NOW);
        if (want === undefined) expect(next).toBeUndefined();
        else expect(next).toEqual(want);
      });
    }

    for (const final of ['succeeded', 'failed'] as const) {
      it(`${final} is final: ${name} is refused`, () => {
        expect(transferTransition(STATES[final]!, event, NOW)).toBeUndefined();
      });
    }
  }

  it('blind transfer to a target that answers: trying, ringing, then succeeded', () => {
    let s: TransferState = idleTransfer;
    const seen: string[] = [];
    for (const e of [EVENTS.refer, EVENTS.referAccepted, EVENTS.notify100, EVENTS.notify180, EVENTS.notify200, EVENTS.notify486] as TransferEvent[]) {
      const next = transferTransition(s, e, NOW);
      if (next) s = next;
      seen.push(s.kind === 'accepted' ? `accepted:${s.progress}` : s.kind);
    }
    expect(seen).toEqual(['requested', 'accepted:trying', 'accepted:trying', 'accepted:ringing', 'succeeded', 'succeeded']);
  });

  it('pending and final', () => {
    expect(Object.entries(STATES).filter(([, s]) => isTransferPending(s)).map(([k]) => k)).toEqual(['requested', 'acceptedTrying', 'acceptedRinging']);
    expect(Object.entries(STATES).filter(([, s]) => isTransferFinal(s)).map(([k]) => k)).toEqual(['succeeded', 'failed']);
  });

  it('maps final codes to reasons the agent understands', () => {
    expect([486, 600, 603, 408, 480, 487, 404, 484, 604, 500, 302].map(transferFailureOf)).toEqual([
      'busy', 'busy', 'declined', 'noAnswer', 'noAnswer', 'noAnswer', 'notFound', 'notFound', 'notFound', 'failed', 'failed',
    ]);
  });
});

describe('sipfrag parser', () => {
  it('reads the status line', () => {
    expect(parseSipfrag('SIP/2.0 180 Ringing')).toEqual({ ok: true, code: 180, reason: 'Ringing' });
    expect(parseSipfrag('SIP/2.0 100 Trying\r\n')).toEqual({ ok: true, code: 100, reason: 'Trying' });
    expect(parseSipfrag('SIP/2.0 200 OK\r\nContact: <sip:x@y>\r\n\r\n')).toEqual({ ok: true, code: 200, reason: 'OK' });
    expect(parseSipfrag('SIP/2.0 486 Busy Here  ')).toEqual({ ok: true, code: 486, reason: 'Busy Here' });
    expect(parseSipfrag('SIP/2.0 503')).toEqual({ ok: true, code: 503, reason: '' });
    expect(parseSipfrag('\r\n\uFEFFSIP/2.0 603 Decline')).toMatchObject({ ok: false });
    expect(parseSipfrag('\uFEFFSIP/2.0 603 Decline')).toEqual({ ok: true, code: 603, reason: 'Decline' });
  });

  it('gives a clear error for malformed bodies, never a throw', () => {
    const bad: [unknown, RegExp][] = [
      [undefined, /missing/],
      [null, /missing/],
      [42, /missing/],
      [{ code: 200 }, /missing/],
      ['', /empty/],
      ['  \r\n ', /empty/],
      ['INVITE sip:a@b SIP/2.0', /status line/],
      ['SIP/3.0 200 OK', /version/],
      ['SIP/2.0 099 Too low', /100-699/],
      ['SIP/2.0 700 Too high', /100-699/],
      ['SIP/2.0 20 OK', /100-699/],
      ['SIP/2.0 2000 OK', /100-699/],
      ['SIP/2.0 abc OK', /100-699/],
      ['SIP/2.0  200 OK', /100-699/],
      [`SIP/2.0 200 ${'x'.repeat(300)}`, /too long/],
      ['x'.repeat(100_000), /status line/],
    ];
    for (const [body, error] of bad) {
      const r = parseSipfrag(body);
      expect(r.ok, String(body).slice(0, 40)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(error);
    }
  });

  it('keeps reason phrases plain and short', () => {
    const r = parseSipfrag(`SIP/2.0 486 Busy\u0007 ${'y'.repeat(100)}`);
    expect(r).toMatchObject({ ok: true, code: 486 });
    if (r.ok) {
      expect(r.reason.includes('\u0007')).toBe(false);
      expect(r.reason.length).toBe(64);
    }
  });

  it('writes sipfrags for NOTIFYs and refuses codes that are not SIP responses', () => {
    expect(sipfragFor(100, 'Trying')).toBe('SIP/2.0 100 Trying');
    expect(sipfragFor(200, '')).toBe('SIP/2.0 200');
    expect(sipfragFor(486, 'Busy\r\nX: y')).toBe('SIP/2.0 486 BusyX: y');
    expect(parseSipfrag(sipfragFor(180, 'Ringing'))).toEqual({ ok: true, code: 180, reason: 'Ringing' });
    expect(() => sipfragFor(99, 'x')).toThrow(RangeError);
    expect(() => sipfragFor(200.5, 'x')).toThrow(RangeError);
  });

  it('reads Subscription-State', () => {
    expect(parseSubscriptionState('active;expires=60')).toEqual({ state: 'active' });
    expect(parseSubscriptionState('terminated')).toEqual({ state: 'terminated' });
    expect(parseSubscriptionState('Terminated; reason=noresource')).toEqual({ state: 'terminated', reason: 'noresource' });
    expect(parseSubscriptionState('terminated;retry-after=5;reason=timeout')).toEqual({ state: 'terminated', reason: 'timeout' });
    expect(parseSubscriptionState('pending')).toEqual({ state: 'pending' });
    expect(parseSubscriptionState('bogus')).toEqual({ state: 'unknown' });
    expect(parseSubscriptionState(undefined)).toEqual({ state: 'unknown' });
    expect(parseSubscriptionState('x'.repeat(1000))).toEqual({ state: 'unknown' });
    expect(parseSubscriptionState('terminated;reason=<script>')).toEqual({ state: 'terminated' });
  });
});

describe('transfer state machine: the codes at every boundary, in every live state', () => {
  const LIVE = ['requested', 'acceptedTrying', 'acceptedRinging'] as const;
  /** notify code → outcome from [requested, trying, ringing]. */
  const CODES: [number, unknown, unknown, unknown][] = [
    [99, undefined, undefined, undefined],
    [100, A('trying'), A('trying'), A('ringing')],
    [101, A('trying'), A('trying'), A('ringing')],
    [181, A('trying'), A('trying'), A('ringing')],
    [182, A('trying'), A('trying'), A('ringing')],
    [199, A('trying'), A('trying'), A('ringing')],
    [200, S(200), S(200), S(200)],
    [299, S(299), S(299), S(299)],
    [300, F('failed', 300), F('failed', 300), F('failed', 300)],
    [484, F('notFound', 484), F('notFound', 484), F('notFound', 484)],
    [487, F('noAnswer', 487), F('noAnswer', 487), F('noAnswer', 487)],
    [500, F('failed', 500), F('failed', 500), F('failed', 500)],
    [600, F('busy', 600), F('busy', 600), F('busy', 600)],
    [604, F('notFound', 604), F('notFound', 604), F('notFound', 604)],
    [699, F('failed', 699), F('failed', 699), F('failed', 699)],
    [700, undefined, undefined, undefined],
    [200.5, undefined, undefined, undefined],
    [Number.NaN, undefined, undefined, undefined],
  ];
  for (const [code, ...want] of CODES) {
    for (const [i, state] of LIVE.entries()) {
      it(`${state} + notify ${code}`, () => {
        const next = transferTransition(STATES[state]!, { type: 'notify', code }, NOW);
        if (want[i] === undefined) expect(next).toBeUndefined();
        else expect(next).toStrictEqual(want[i]);
      });
    }
  }

  it.each([
    [603, F('referRejected', 603)],
    [405, F('referRejected', 405)],
    [99, F('referRejected')],
    [700, F('referRejected')],
    [403.5, F('referRejected')],
  ])('referRejected %s keeps only a valid SIP code', (code, want) => {
    expect(transferTransition(STATES.requested!, { type: 'referRejected', code }, NOW)).toStrictEqual(want);
    expect(transferTransition(STATES.acceptedTrying!, { type: 'referRejected', code }, NOW)).toBeUndefined();
  });

  it('a final state is never left, whichever code or event comes late', () => {
    for (const final of [STATES.succeeded!, STATES.failed!, { kind: 'failed', since: 1, reason: 'referRejected' } as TransferState]) {
      for (const [code] of CODES) expect(transferTransition(final, { type: 'notify', code }, NOW)).toBeUndefined();
      for (const e of Object.values(EVENTS)) expect(transferTransition(final, e, NOW)).toBeUndefined();
    }
  });
});
