/**
 * The call state machine of the softphone — one call leg as the agent sees it. The SIP service
 * feeds it events from SIP.js; the UI, the agent state and the call log read its plain states.
 *
 *            incoming                         answer            hold
 *   idle ───────────► ringing ──────────────► connecting ─► active ◄──────► held
 *     │ dial                │ reject/cancelled   ▲              │  resume      │
 *     ▼                     ▼                    │ 2xx          │ hangup/bye   │
 *   dialing ──183──► early ─┴──────────────► (connecting)       ▼              ▼
 *     │                 │                                    ended ◄─────────┘
 *     └──── 4xx/5xx/6xx, cancel, timeout ───────────────────► ended
 *
 * `ended` carries why (answered elsewhere, rejected, busy, cancelled, hung up by whom, failed,
 * transferred). Invalid events are refused (the machine returns undefined), so a late or
 * duplicated SIP event can never move a call backwards.
 */
export type CallDirection = 'inbound' | 'outbound';

export type EndReason =
  | 'localHangup'
  | 'remoteHangup'
  | 'rejected'
  | 'busy'
  | 'cancelled'
  | 'noAnswer'
  | 'failed'
  | 'transferred'
  | 'connectionLost';

export type CallState =
  | { readonly kind: 'ringing'; readonly direction: 'inbound'; readonly since: number }
  | { readonly kind: 'dialing'; readonly direction: 'outbound'; readonly since: number }
  | { readonly kind: 'early'; readonly direction: 'outbound'; readonly since: number }
  | { readonly kind: 'connecting'; readonly direction: CallDirection; readonly since: number }
  | { readonly kind: 'active'; readonly direction: CallDirection; readonly since: number; readonly answeredAt: number; readonly muted: boolean }
  | { readonly kind: 'held'; readonly direction: CallDirection; readonly since: number; readonly answeredAt: number; readonly muted: boolean }
  | { readonly kind: 'ended'; readonly direction: CallDirection; readonly since: number; readonly reason: EndReason; readonly answeredAt?: number; readonly sipCode?: number };

export type CallEvent =
  | { readonly type: 'answer' }
  | { readonly type: 'progress'; readonly early: boolean }
  | { readonly type: 'established' }
  | { readonly type: 'hold' }
  | { readonly type: 'resume' }
  | { readonly type: 'mute'; readonly muted: boolean }
  | { readonly type: 'hangup' }
  | { readonly type: 'remoteBye' }
  | { readonly type: 'reject' }
  | { readonly type: 'cancelled' }
  | { readonly type: 'failed'; readonly sipCode?: number }
  | { readonly type: 'transferred' }
  | { readonly type: 'connectionLost' };

export function incoming(now: number): CallState {
  return { kind: 'ringing', direction: 'inbound', since: now };
}

export function dialing(now: number): CallState {
  return { kind: 'dialing', direction: 'outbound', since: now };
}

function ended(s: CallState, reason: EndReason, now: number, sipCode?: number): CallState {
  const answeredAt = 'answeredAt' in s ? s.answeredAt : undefined;
  return { kind: 'ended', direction: s.direction, since: now, reason, ...(answeredAt !== undefined ? { answeredAt } : {}), ...(sipCode ? { sipCode } : {}) };
}

function failureReason(code: number | undefined): EndReason {
  if (code === 486 || code === 600) return 'busy';
  if (code === 603) return 'rejected';
  if (code === 408 || code === 480) return 'noAnswer';
  if (code === 487) return 'cancelled';
  return 'failed';
}

/** The next state, or undefined when the event does not apply in this state. */
export function transition(s: CallState, e: CallEvent, now: number): CallState | undefined {
  if (s.kind === 'ended') return undefined;
  switch (e.type) {
    case 'answer':
      return s.kind === 'ringing' ? { kind: 'connecting', direction: s.direction, since: now } : undefined;
    case 'progress':
      return s.kind === 'dialing' && e.early ? { kind: 'early', direction: 'outbound', since: now } : undefined;
    case 'established':
      return s.kind === 'connecting' || s.kind === 'dialing' || s.kind === 'early'
        ? { kind: 'active', direction: s.direction, since: now, answeredAt: now, muted: false }
        : undefined;
    case 'hold':
      return s.kind === 'active' ? { ...s, kind: 'held', since: now } : undefined;
    case 'resume':
      return s.kind === 'held' ? { ...s, kind: 'active', since: now } : undefined;
    case 'mute':
      return s.kind === 'active' || s.kind === 'held' ? { ...s, muted: e.muted } : undefined;
    case 'hangup':
      if (s.kind === 'ringing') return ended(s, 'rejected', now);
      if (s.kind === 'dialing' || s.kind === 'early') return ended(s, 'cancelled', now);
      return ended(s, 'localHangup', now);
    case 'remoteBye':
      return s.kind === 'active' || s.kind === 'held' || s.kind === 'connecting' ? ended(s, 'remoteHangup', now) : undefined;
    case 'reject':
      return s.kind === 'ringing' ? ended(s, 'rejected', now) : undefined;
    case 'cancelled':
      return s.kind === 'ringing' || s.kind === 'dialing' || s.kind === 'early' ? ended(s, 'cancelled', now) : undefined;
    case 'failed':
      return ended(s, failureReason(e.sipCode), now, e.sipCode);
    case 'transferred':
      return s.kind === 'active' || s.kind === 'held' ? ended(s, 'transferred', now) : undefined;
    case 'connectionLost':
      return ended(s, 'connectionLost', now);
  }
}

/** True while the call holds the line (the agent is "on call"). */
export function isLive(s: CallState): boolean {
  return s.kind !== 'ended';
}
