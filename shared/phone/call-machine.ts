/**
 * The call state machine of the softphone — one call leg as the agent sees it. The SIP service
 * feeds it events from SIP.js; the UI, the agent state and the call log read its plain states.
 *
 *            incoming                         answer
 *   idle ───────────► ringing ──────────────► connecting ──2xx──► active
 *     │ dial                │ reject/cancelled   ▲
 *     ▼                     ▼                    │
 *   dialing ──183──► early ─┴───── 2xx ──────────┴──────────────► active
 *     └──── 4xx/5xx/6xx, cancel, timeout ───────────────────────► ended
 *
 *   hold and resume (re-INVITE; pending until the far end answers it):
 *
 *                 hold                  reinviteAccepted
 *     active ──────────────► holding ──────────────────────► held
 *       ▲ ▲  reinviteRejected   │                              │ resume
 *       │ └─────────────────────┘                              ▼
 *       └───────────────────────────────────────────────── resuming
 *                 reinviteAccepted           reinviteRejected │
 *                                               held ◄────────┘
 *
 *   active | holding | held | resuming ── hangup, BYE, transferred, failed, lost ──► ended
 *
 * Hold and resume are re-INVITEs: `holding` and `resuming` last until the far end answers
 * (`reinviteAccepted`) or refuses (`reinviteRejected`, with its SIP code: the call goes back to
 * where it was and `holdRefused` on the state says why).
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

/** The far end refused a hold or resume re-INVITE (sipCode undefined: no answer / transport error). */
export interface HoldRefusal {
  readonly action: 'hold' | 'resume';
  readonly sipCode?: number;
}

export type CallState =
  | { readonly kind: 'ringing'; readonly direction: 'inbound'; readonly since: number }
  | { readonly kind: 'dialing'; readonly direction: 'outbound'; readonly since: number }
  | { readonly kind: 'early'; readonly direction: 'outbound'; readonly since: number }
  | { readonly kind: 'connecting'; readonly direction: CallDirection; readonly since: number }
  | { readonly kind: 'active'; readonly direction: CallDirection; readonly since: number; readonly answeredAt: number; readonly muted: boolean; readonly holdRefused?: HoldRefusal }
  | { readonly kind: 'held'; readonly direction: CallDirection; readonly since: number; readonly answeredAt: number; readonly muted: boolean; readonly holdRefused?: HoldRefusal }
  | { readonly kind: 'holding'; readonly direction: CallDirection; readonly since: number; readonly answeredAt: number; readonly muted: boolean }
  | { readonly kind: 'resuming'; readonly direction: CallDirection; readonly since: number; readonly answeredAt: number; readonly muted: boolean }
  | { readonly kind: 'ended'; readonly direction: CallDirection; readonly since: number; readonly reason: EndReason; readonly answeredAt?: number; readonly sipCode?: number };

export type CallEvent =
  | { readonly type: 'answer' }
  | { readonly type: 'progress'; readonly early: boolean }
  | { readonly type: 'established' }
  | { readonly type: 'hold' }
  | { readonly type: 'resume' }
  | { readonly type: 'reinviteAccepted' }
  | { readonly type: 'reinviteRejected'; readonly sipCode?: number }
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
      return s.kind === 'active' ? { kind: 'holding', direction: s.direction, since: now, answeredAt: s.answeredAt, muted: s.muted } : undefined;
    case 'resume':
      return s.kind === 'held' ? { kind: 'resuming', direction: s.direction, since: now, answeredAt: s.answeredAt, muted: s.muted } : undefined;
    case 'reinviteAccepted':
      if (s.kind === 'holding') return { kind: 'held', direction: s.direction, since: now, answeredAt: s.answeredAt, muted: s.muted };
      if (s.kind === 'resuming') return { kind: 'active', direction: s.direction, since: now, answeredAt: s.answeredAt, muted: s.muted };
      return undefined;
    case 'reinviteRejected': {
      const holdRefused: HoldRefusal = { action: s.kind === 'holding' ? 'hold' : 'resume', ...(e.sipCode ? { sipCode: e.sipCode } : {}) };
      if (s.kind === 'holding') return { kind: 'active', direction: s.direction, since: now, answeredAt: s.answeredAt, muted: s.muted, holdRefused };
      if (s.kind === 'resuming') return { kind: 'held', direction: s.direction, since: now, answeredAt: s.answeredAt, muted: s.muted, holdRefused };
      return undefined;
    }
    case 'mute':
      return isUp(s) ? { ...s, muted: e.muted } : undefined;
    case 'hangup':
      if (s.kind === 'ringing') return ended(s, 'rejected', now);
      if (s.kind === 'dialing' || s.kind === 'early') return ended(s, 'cancelled', now);
      return ended(s, 'localHangup', now);
    case 'remoteBye':
      return isUp(s) || s.kind === 'connecting' ? ended(s, 'remoteHangup', now) : undefined;
    case 'reject':
      return s.kind === 'ringing' ? ended(s, 'rejected', now) : undefined;
    case 'cancelled':
      return s.kind === 'ringing' || s.kind === 'dialing' || s.kind === 'early' ? ended(s, 'cancelled', now) : undefined;
    case 'failed':
      return ended(s, failureReason(e.sipCode), now, e.sipCode);
    case 'transferred':
      return isUp(s) ? ended(s, 'transferred', now) : undefined;
    case 'connectionLost':
      return ended(s, 'connectionLost', now);
  }
}

/** Answered and not ended: talking, on hold, or a hold / resume re-INVITE under way. */
export function isUp(s: CallState): s is Extract<CallState, { kind: 'active' | 'held' | 'holding' | 'resuming' }> {
  return s.kind === 'active' || s.kind === 'held' || s.kind === 'holding' || s.kind === 'resuming';
}

/** True while the call holds the line (the agent is "on call"). */
export function isLive(s: CallState): boolean {
  return s.kind !== 'ended';
}
