import { describe, expect, it } from 'vitest';
import { dialing, incoming, isLive, transition, type CallEvent, type CallState } from '../../shared/phone/call-machine';

function run(start: CallState, events: CallEvent[]): CallState {
  let s = start;
  let t = start.since;
  for (const e of events) {
    const next = transition(s, e, ++t);
    if (!next) throw new Error(`${e.type} refused in ${s.kind}`);
    s = next;
  }
  return s;
}

describe('call state machine', () => {
  it('inbound: ringing → answer → active → hold → resume → hang up', () => {
    const s = run(incoming(0), [{ type: 'answer' }, { type: 'established' }, { type: 'hold' }, { type: 'reinviteAccepted' }, { type: 'resume' }, { type: 'reinviteAccepted' }, { type: 'hangup' }]);
    expect(s).toMatchObject({ kind: 'ended', reason: 'localHangup', direction: 'inbound', answeredAt: 2 });
  });

  it('outbound: dialing → 183 early media → answered → remote BYE', () => {
    const s = run(dialing(0), [{ type: 'progress', early: true }, { type: 'established' }, { type: 'remoteBye' }]);
    expect(s).toMatchObject({ kind: 'ended', reason: 'remoteHangup', direction: 'outbound' });
  });

  it('maps SIP failures to reasons the agent understands', () => {
    expect(run(dialing(0), [{ type: 'failed', sipCode: 486 }])).toMatchObject({ reason: 'busy', sipCode: 486 });
    expect(run(dialing(0), [{ type: 'failed', sipCode: 603 }])).toMatchObject({ reason: 'rejected' });
    expect(run(dialing(0), [{ type: 'failed', sipCode: 480 }])).toMatchObject({ reason: 'noAnswer' });
    expect(run(dialing(0), [{ type: 'failed', sipCode: 503 }])).toMatchObject({ reason: 'failed' });
  });

  it('caller hangs up while ringing; agent rejects; agent cancels a dial', () => {
    expect(run(incoming(0), [{ type: 'cancelled' }])).toMatchObject({ kind: 'ended', reason: 'cancelled' });
    expect(run(incoming(0), [{ type: 'reject' }])).toMatchObject({ kind: 'ended', reason: 'rejected' });
    expect(run(dialing(0), [{ type: 'hangup' }])).toMatchObject({ kind: 'ended', reason: 'cancelled' });
  });

  it('mute is kept across hold and resume', () => {
    const s = run(incoming(0), [{ type: 'answer' }, { type: 'established' }, { type: 'mute', muted: true }, { type: 'hold' }, { type: 'reinviteAccepted' }, { type: 'resume' }, { type: 'reinviteAccepted' }]);
    expect(s).toMatchObject({ kind: 'active', muted: true });
  });

  it('refuses events that do not apply, so late SIP events cannot move a call backwards', () => {
    const active = run(incoming(0), [{ type: 'answer' }, { type: 'established' }]);
    expect(transition(active, { type: 'answer' }, 10)).toBeUndefined();
    expect(transition(active, { type: 'resume' }, 10)).toBeUndefined();
    const done = run(active, [{ type: 'hangup' }]);
    expect(isLive(done)).toBe(false);
    for (const e of [{ type: 'remoteBye' }, { type: 'established' }, { type: 'failed' }] as CallEvent[]) expect(transition(done, e, 20)).toBeUndefined();
    expect(transition(incoming(0), { type: 'hold' }, 1)).toBeUndefined();
  });

  it('a transfer ends the agent’s leg as transferred', () => {
    expect(run(incoming(0), [{ type: 'answer' }, { type: 'established' }, { type: 'hold' }, { type: 'transferred' }])).toMatchObject({ reason: 'transferred' });
  });
});

describe('hold and resume wait for the far end (re-INVITE)', () => {
  const active: CallState = { kind: 'active', direction: 'inbound', since: 1, answeredAt: 1, muted: false };
  const ALL_EVENTS: CallEvent[] = [
    { type: 'answer' },
    { type: 'progress', early: true },
    { type: 'established' },
    { type: 'hold' },
    { type: 'resume' },
    { type: 'reinviteAccepted' },
    { type: 'reinviteRejected', sipCode: 488 },
    { type: 'mute', muted: true },
    { type: 'hangup' },
    { type: 'remoteBye' },
    { type: 'reject' },
    { type: 'cancelled' },
    { type: 'failed', sipCode: 500 },
    { type: 'transferred' },
    { type: 'connectionLost' },
  ];

  it('hold: active → holding → (200) held; resume: held → resuming → (200) active', () => {
    const holding = run(active, [{ type: 'hold' }]);
    expect(holding).toMatchObject({ kind: 'holding', answeredAt: 1 });
    const held = run(holding, [{ type: 'reinviteAccepted' }]);
    expect(held).toMatchObject({ kind: 'held', answeredAt: 1 });
    const resuming = run(held, [{ type: 'resume' }]);
    expect(resuming).toMatchObject({ kind: 'resuming' });
    expect(run(resuming, [{ type: 'reinviteAccepted' }])).toMatchObject({ kind: 'active', answeredAt: 1 });
  });

  it('a refused hold goes back to active and says why; a refused resume stays held', () => {
    const refused = run(active, [{ type: 'hold' }, { type: 'reinviteRejected', sipCode: 488 }]);
    expect(refused).toMatchObject({ kind: 'active', holdRefused: { action: 'hold', sipCode: 488 } });
    const stillHeld = run(active, [{ type: 'hold' }, { type: 'reinviteAccepted' }, { type: 'resume' }, { type: 'reinviteRejected' }]);
    expect(stillHeld).toMatchObject({ kind: 'held', holdRefused: { action: 'resume' } });
    expect(stillHeld.kind === 'held' && stillHeld.holdRefused?.sipCode).toBeFalsy();
    // A later successful hold clears the refusal.
    expect(run(refused, [{ type: 'hold' }, { type: 'reinviteAccepted' }])).not.toHaveProperty('holdRefused');
  });

  it('keeps mute across the pending states', () => {
    const s = run(active, [{ type: 'mute', muted: true }, { type: 'hold' }, { type: 'reinviteAccepted' }, { type: 'resume' }, { type: 'reinviteAccepted' }]);
    expect(s).toMatchObject({ kind: 'active', muted: true });
  });

  /** Every event in each pending state: what it leads to (undefined = refused). */
  const TABLE: Record<'holding' | 'resuming', Record<CallEvent['type'], string | undefined>> = {
    holding: {
      answer: undefined, progress: undefined, established: undefined, hold: undefined, resume: undefined,
      reinviteAccepted: 'held', reinviteRejected: 'active', mute: 'holding',
      hangup: 'ended:localHangup', remoteBye: 'ended:remoteHangup', reject: undefined, cancelled: undefined,
      failed: 'ended:failed', transferred: 'ended:transferred', connectionLost: 'ended:connectionLost',
    },
    resuming: {
      answer: undefined, progress: undefined, established: undefined, hold: undefined, resume: undefined,
      reinviteAccepted: 'active', reinviteRejected: 'held', mute: 'resuming',
      hangup: 'ended:localHangup', remoteBye: 'ended:remoteHangup', reject: undefined, cancelled: undefined,
      failed: 'ended:failed', transferred: 'ended:transferred', connectionLost: 'ended:connectionLost',
    },
  };
  const start = { holding: run(active, [{ type: 'hold' }]), resuming: run(active, [{ type: 'hold' }, { type: 'reinviteAccepted' }, { type: 'resume' }]) };
  for (const kind of ['holding', 'resuming'] as const) {
    for (const e of ALL_EVENTS) {
      it(`${kind} + ${e.type} → ${TABLE[kind][e.type] ?? 'refused'}`, () => {
        const next = transition(start[kind], e, 100);
        const got = next === undefined ? undefined : next.kind === 'ended' ? `ended:${next.reason}` : next.kind;
        expect(got).toBe(TABLE[kind][e.type]);
        if (next && next.kind !== 'ended') expect(next).toMatchObject({ answeredAt: 1 });
        if (next && next.kind === 'ended') expect(next.answeredAt).toBe(1);
        expect(next === undefined || isLive(next) === (next.kind !== 'ended')).toBe(true);
      });
    }
  }

  it('re-INVITE answers outside a pending state are ignored (late or duplicated)', () => {
    for (const e of [{ type: 'reinviteAccepted' }, { type: 'reinviteRejected', sipCode: 488 }] as CallEvent[]) {
      expect(transition(active, e, 5)).toBeUndefined();
      expect(transition(run(active, [{ type: 'hold' }, { type: 'reinviteAccepted' }]), e, 5)).toBeUndefined();
      expect(transition(incoming(0), e, 5)).toBeUndefined();
    }
  });
});
