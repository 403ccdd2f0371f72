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
    const s = run(incoming(0), [{ type: 'answer' }, { type: 'established' }, { type: 'hold' }, { type: 'resume' }, { type: 'hangup' }]);
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
    const s = run(incoming(0), [{ type: 'answer' }, { type: 'established' }, { type: 'mute', muted: true }, { type: 'hold' }, { type: 'resume' }]);
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
