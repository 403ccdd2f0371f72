/**
 * The WHOLE event × state table of shared/phone/call-machine.ts, written out as data. Every
 * (state, event) pair has an expected outcome: the next state, or `-` (refused: the machine
 * returns undefined). Any change to any transition — a new edge (established from ringing, BYE
 * while ringing, hold while connecting, mute while ringing …) or a lost one — fails here.
 *
 * Outcome codes:
 *   -                        refused (undefined)
 *   connecting | early       a fresh state of that kind, same direction, since = now
 *   active+                  a fresh active call: answeredAt = now, not muted
 *   holding | held | active | resuming
 *                            same call carried over: answeredAt and muted kept, since = now,
 *                            no holdRefused
 *   active!hold | held!resume
 *                            the re-INVITE was refused: back where it was, holdRefused = {action, sipCode?}
 *   mute | unmute            the same state object with muted set (since unchanged)
 *   ended:<reason>           ended with that reason, direction kept, answeredAt kept if the call
 *                            was answered, sipCode only for `failed` with a code
 *
 * Where the code goes beyond the drawing in the module comment (it is the code that the suite
 * pins): `hangup` in connecting ends the call as localHangup, `remoteBye` in connecting ends it as
 * remoteHangup (200 OK sent, ACK not yet), `failed` and `connectionLost` end any live call, and
 * `mute` applies while holding/resuming too.
 */
import { describe, expect, it } from 'vitest';
import { transition, type CallEvent, type CallState, type EndReason } from '../../shared/phone/call-machine';

const T0 = 1000;
const ANSWERED = 1500;
const NOW = 9000;

const STATES = {
  ringing: { kind: 'ringing', direction: 'inbound', since: T0 },
  dialing: { kind: 'dialing', direction: 'outbound', since: T0 },
  early: { kind: 'early', direction: 'outbound', since: T0 },
  'connecting(in)': { kind: 'connecting', direction: 'inbound', since: T0 },
  'connecting(out)': { kind: 'connecting', direction: 'outbound', since: T0 },
  active: { kind: 'active', direction: 'inbound', since: T0, answeredAt: ANSWERED, muted: false },
  'active(muted,out)': { kind: 'active', direction: 'outbound', since: T0, answeredAt: ANSWERED, muted: true },
  'active(refused)': { kind: 'active', direction: 'inbound', since: T0, answeredAt: ANSWERED, muted: false, holdRefused: { action: 'hold', sipCode: 491 } },
  holding: { kind: 'holding', direction: 'inbound', since: T0, answeredAt: ANSWERED, muted: true },
  held: { kind: 'held', direction: 'outbound', since: T0, answeredAt: ANSWERED, muted: false },
  'held(refused)': { kind: 'held', direction: 'inbound', since: T0, answeredAt: ANSWERED, muted: true, holdRefused: { action: 'resume' } },
  resuming: { kind: 'resuming', direction: 'inbound', since: T0, answeredAt: ANSWERED, muted: false },
  'ended(answered)': { kind: 'ended', direction: 'inbound', since: T0, reason: 'remoteHangup', answeredAt: ANSWERED },
  'ended(unanswered)': { kind: 'ended', direction: 'outbound', since: T0, reason: 'busy', sipCode: 486 },
} as const satisfies Record<string, CallState>;
type StateName = keyof typeof STATES;

const EVENTS = {
  answer: { type: 'answer' },
  'progress(early)': { type: 'progress', early: true },
  'progress(no early)': { type: 'progress', early: false },
  established: { type: 'established' },
  hold: { type: 'hold' },
  resume: { type: 'resume' },
  reinviteAccepted: { type: 'reinviteAccepted' },
  'reinviteRejected(488)': { type: 'reinviteRejected', sipCode: 488 },
  'reinviteRejected()': { type: 'reinviteRejected' },
  'mute(on)': { type: 'mute', muted: true },
  'mute(off)': { type: 'mute', muted: false },
  hangup: { type: 'hangup' },
  remoteBye: { type: 'remoteBye' },
  reject: { type: 'reject' },
  cancelled: { type: 'cancelled' },
  'failed(486)': { type: 'failed', sipCode: 486 },
  'failed(600)': { type: 'failed', sipCode: 600 },
  'failed(603)': { type: 'failed', sipCode: 603 },
  'failed(408)': { type: 'failed', sipCode: 408 },
  'failed(480)': { type: 'failed', sipCode: 480 },
  'failed(487)': { type: 'failed', sipCode: 487 },
  'failed(404)': { type: 'failed', sipCode: 404 },
  'failed(503)': { type: 'failed', sipCode: 503 },
  'failed()': { type: 'failed' },
  transferred: { type: 'transferred' },
  connectionLost: { type: 'connectionLost' },
} as const satisfies Record<string, CallEvent>;
type EventName = keyof typeof EVENTS;

type Outcome = string;

/** `failed(code)` and `connectionLost`: the same in every live state. */
const FAILURES: Record<Extract<EventName, `failed${string}`> | 'connectionLost', Outcome> = {
  'failed(486)': 'ended:busy',
  'failed(600)': 'ended:busy',
  'failed(603)': 'ended:rejected',
  'failed(408)': 'ended:noAnswer',
  'failed(480)': 'ended:noAnswer',
  'failed(487)': 'ended:cancelled',
  'failed(404)': 'ended:failed',
  'failed(503)': 'ended:failed',
  'failed()': 'ended:failed',
  connectionLost: 'ended:connectionLost',
};

const REFUSED_ALL = Object.fromEntries(Object.keys(EVENTS).map((e) => [e, '-'])) as Record<EventName, Outcome>;

/** The row of an answered call (active, holding, held, resuming differ only in hold/resume/reinvite). */
function upRow(kind: 'active' | 'holding' | 'held' | 'resuming'): Record<EventName, Outcome> {
  return {
    answer: '-',
    'progress(early)': '-',
    'progress(no early)': '-',
    established: '-',
    hold: kind === 'active' ? 'holding' : '-',
    resume: kind === 'held' ? 'resuming' : '-',
    reinviteAccepted: kind === 'holding' ? 'held' : kind === 'resuming' ? 'active' : '-',
    'reinviteRejected(488)': kind === 'holding' ? 'active!hold' : kind === 'resuming' ? 'held!resume' : '-',
    'reinviteRejected()': kind === 'holding' ? 'active!hold' : kind === 'resuming' ? 'held!resume' : '-',
    'mute(on)': 'mute',
    'mute(off)': 'unmute',
    hangup: 'ended:localHangup',
    remoteBye: 'ended:remoteHangup',
    reject: '-',
    cancelled: '-',
    ...FAILURES,
    transferred: 'ended:transferred',
  };
}

const connectingRow: Record<EventName, Outcome> = {
  answer: '-',
  'progress(early)': '-',
  'progress(no early)': '-',
  established: 'active+',
  hold: '-',
  resume: '-',
  reinviteAccepted: '-',
  'reinviteRejected(488)': '-',
  'reinviteRejected()': '-',
  'mute(on)': '-',
  'mute(off)': '-',
  hangup: 'ended:localHangup',
  remoteBye: 'ended:remoteHangup',
  reject: '-',
  cancelled: '-',
  ...FAILURES,
  transferred: '-',
};

const TABLE: Record<StateName, Record<EventName, Outcome>> = {
  ringing: {
    answer: 'connecting',
    'progress(early)': '-',
    'progress(no early)': '-',
    established: '-',
    hold: '-',
    resume: '-',
    reinviteAccepted: '-',
    'reinviteRejected(488)': '-',
    'reinviteRejected()': '-',
    'mute(on)': '-',
    'mute(off)': '-',
    hangup: 'ended:rejected',
    remoteBye: '-',
    reject: 'ended:rejected',
    cancelled: 'ended:cancelled',
    ...FAILURES,
    transferred: '-',
  },
  dialing: {
    answer: '-',
    'progress(early)': 'early',
    'progress(no early)': '-',
    established: 'active+',
    hold: '-',
    resume: '-',
    reinviteAccepted: '-',
    'reinviteRejected(488)': '-',
    'reinviteRejected()': '-',
    'mute(on)': '-',
    'mute(off)': '-',
    hangup: 'ended:cancelled',
    remoteBye: '-',
    reject: '-',
    cancelled: 'ended:cancelled',
    ...FAILURES,
    transferred: '-',
  },
  early: {
    answer: '-',
    'progress(early)': '-',
    'progress(no early)': '-',
    established: 'active+',
    hold: '-',
    resume: '-',
    reinviteAccepted: '-',
    'reinviteRejected(488)': '-',
    'reinviteRejected()': '-',
    'mute(on)': '-',
    'mute(off)': '-',
    hangup: 'ended:cancelled',
    remoteBye: '-',
    reject: '-',
    cancelled: 'ended:cancelled',
    ...FAILURES,
    transferred: '-',
  },
  'connecting(in)': connectingRow,
  'connecting(out)': connectingRow,
  active: upRow('active'),
  'active(muted,out)': upRow('active'),
  'active(refused)': upRow('active'),
  holding: upRow('holding'),
  held: upRow('held'),
  'held(refused)': upRow('held'),
  resuming: upRow('resuming'),
  'ended(answered)': REFUSED_ALL,
  'ended(unanswered)': REFUSED_ALL,
};

/** The full state an outcome code stands for, from state `s` under event `e`. */
function expected(s: CallState, e: CallEvent, outcome: Outcome): CallState | undefined {
  if (outcome === '-') return undefined;
  const carried = () => {
    if (!('answeredAt' in s) || s.kind === 'ended') throw new Error(`table error: ${outcome} from ${s.kind}`);
    return { direction: s.direction, since: NOW, answeredAt: s.answeredAt, muted: s.muted };
  };
  switch (outcome) {
    case 'connecting':
      return { kind: 'connecting', direction: s.direction, since: NOW };
    case 'early':
      return { kind: 'early', direction: 'outbound', since: NOW };
    case 'active+':
      return { kind: 'active', direction: s.direction, since: NOW, answeredAt: NOW, muted: false };
    case 'holding':
    case 'held':
    case 'active':
    case 'resuming':
      return { kind: outcome, ...carried() } as CallState;
    case 'active!hold':
    case 'held!resume': {
      const code = e.type === 'reinviteRejected' ? e.sipCode : undefined;
      const [kind, action] = outcome.split('!') as ['active' | 'held', 'hold' | 'resume'];
      return { kind, ...carried(), holdRefused: { action, ...(code !== undefined ? { sipCode: code } : {}) } };
    }
    case 'mute':
    case 'unmute':
      return { ...s, muted: outcome === 'mute' } as CallState;
  }
  const [tag, reason] = outcome.split(':') as ['ended', EndReason];
  if (tag !== 'ended') throw new Error(`table error: unknown outcome ${outcome}`);
  const sipCode = e.type === 'failed' ? e.sipCode : undefined;
  return {
    kind: 'ended',
    direction: s.direction,
    since: NOW,
    reason,
    ...('answeredAt' in s && s.answeredAt !== undefined && s.kind !== 'ended' ? { answeredAt: s.answeredAt } : {}),
    ...(sipCode !== undefined ? { sipCode } : {}),
  };
}

describe('call state machine: the whole event × state table', () => {
  it('the table covers every state kind and every event type of the module', () => {
    const kinds = new Set(Object.values(STATES).map((s) => s.kind));
    expect([...kinds].sort()).toEqual(['active', 'connecting', 'dialing', 'early', 'ended', 'held', 'holding', 'resuming', 'ringing']);
    const types = new Set(Object.values(EVENTS).map((e) => e.type));
    expect(types.size).toBe(15);
    for (const row of Object.values(TABLE)) expect(Object.keys(row).sort()).toEqual(Object.keys(EVENTS).sort());
  });

  for (const [stateName, state] of Object.entries(STATES) as [StateName, CallState][]) {
    describe(stateName, () => {
      for (const [eventName, event] of Object.entries(EVENTS) as [EventName, CallEvent][]) {
        const outcome = TABLE[stateName][eventName];
        it(`${eventName} → ${outcome === '-' ? 'refused' : outcome}`, () => {
          const before = structuredClone(state);
          const next = transition(state, event, NOW);
          expect(next).toStrictEqual(expected(state, event, outcome));
          expect(state, 'the machine never mutates the state it is given').toStrictEqual(before);
        });
      }
    });
  }
});
