/**
 * The life of one transfer as the transferring seat sees it (RFC 5589 / RFC 3515). The seat
 * keeps its leg to the caller (on hold) until the transferee's NOTIFYs say the target answered;
 * anything else gives the caller back to the agent.
 *
 *            refer                    202 (referAccepted)
 *   idle ───────────► requested ─────────────────────────► accepted(progress)
 *                       │  │ notify 1xx ───────────────────►   │  ▲ notify 1xx: trying (100) /
 *                       │  │                                   │  │ ringing (180/183), never back
 *                       │  │ notify 2xx ──────────┐            │──┘
 *                       │  │                      ▼            │ notify 2xx
 *                       │  └──────────────►  succeeded ◄───────┘
 *                       │                                      │
 *                       │ referRejected (4xx-6xx to REFER)     │ notify 3xx-6xx (busy, declined,
 *                       │ notify 3xx-6xx, timeout,             │ noAnswer, notFound, failed),
 *                       │ subscriptionEnded, callEnded         │ timeout, subscriptionEnded, callEnded
 *                       ▼                                      ▼
 *                     failed(reason, code?) ◄──────────────────┘
 *
 * A NOTIFY may overtake the 202 (RFC 3515 §2.4.5), so NOTIFYs are taken in `requested` too.
 * `succeeded` and `failed` are final: every event there is refused (returns undefined), as is
 * every event but `refer` in `idle`, so a late or duplicated SIP message never changes an outcome.
 */

export type TransferProgress = 'trying' | 'ringing';

export const TRANSFER_FAILURES = ['referRejected', 'busy', 'declined', 'noAnswer', 'notFound', 'failed', 'timeout', 'subscriptionEnded', 'callEnded'] as const;
export type TransferFailure = (typeof TRANSFER_FAILURES)[number];

export type TransferState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'requested'; readonly since: number }
  | { readonly kind: 'accepted'; readonly since: number; readonly progress: TransferProgress }
  | { readonly kind: 'succeeded'; readonly since: number; readonly code: number }
  | { readonly kind: 'failed'; readonly since: number; readonly reason: TransferFailure; readonly code?: number };

export type TransferEvent =
  /** The REFER was sent. */
  | { readonly type: 'refer' }
  /** The REFER was accepted (202). */
  | { readonly type: 'referAccepted' }
  /** The REFER was refused (4xx-6xx), or could not be sent (no code). */
  | { readonly type: 'referRejected'; readonly code?: number }
  /** A NOTIFY's sipfrag: the referred call's response code. */
  | { readonly type: 'notify'; readonly code: number }
  /** The implicit subscription ended without a final response. */
  | { readonly type: 'subscriptionEnded' }
  /** No final response within the seat's transfer timeout. */
  | { readonly type: 'timeout' }
  /** The caller's leg ended while the transfer was under way. */
  | { readonly type: 'callEnded' };

export const TRANSFER_EVENT_TYPES = ['refer', 'referAccepted', 'referRejected', 'notify', 'subscriptionEnded', 'timeout', 'callEnded'] as const satisfies readonly TransferEvent['type'][];

export const idleTransfer: TransferState = { kind: 'idle' };

/** Why a referred call failed, from its final response code. */
export function transferFailureOf(code: number): TransferFailure {
  if (code === 486 || code === 600) return 'busy';
  if (code === 603) return 'declined';
  if (code === 408 || code === 480 || code === 487) return 'noAnswer';
  if (code === 404 || code === 484 || code === 604) return 'notFound';
  return 'failed';
}

function validCode(code: number): boolean {
  return Number.isInteger(code) && code >= 100 && code <= 699;
}

/** The next state, or undefined when the event does not apply in this state. */
export function transferTransition(s: TransferState, e: TransferEvent, now: number): TransferState | undefined {
  if (s.kind === 'succeeded' || s.kind === 'failed') return undefined;
  if (s.kind === 'idle') return e.type === 'refer' ? { kind: 'requested', since: now } : undefined;
  switch (e.type) {
    case 'refer':
      return undefined;
    case 'referAccepted':
      return s.kind === 'requested' ? { kind: 'accepted', since: now, progress: 'trying' } : undefined;
    case 'referRejected':
      if (s.kind !== 'requested') return undefined;
      return { kind: 'failed', since: now, reason: 'referRejected', ...(e.code !== undefined && validCode(e.code) ? { code: e.code } : {}) };
    case 'notify': {
      if (!validCode(e.code)) return undefined;
      if (e.code < 200) {
        const heard: TransferProgress = e.code === 180 || e.code === 183 ? 'ringing' : 'trying';
        const progress = s.kind === 'accepted' && s.progress === 'ringing' ? 'ringing' : heard;
        return { kind: 'accepted', since: now, progress };
      }
      if (e.code < 300) return { kind: 'succeeded', since: now, code: e.code };
      return { kind: 'failed', since: now, reason: transferFailureOf(e.code), code: e.code };
    }
    case 'subscriptionEnded':
      return { kind: 'failed', since: now, reason: 'subscriptionEnded' };
    case 'timeout':
      return { kind: 'failed', since: now, reason: 'timeout' };
    case 'callEnded':
      return { kind: 'failed', since: now, reason: 'callEnded' };
  }
}

/** The transfer has an outcome (no event changes it any more). */
export function isTransferFinal(s: TransferState): s is Extract<TransferState, { kind: 'succeeded' | 'failed' }> {
  return s.kind === 'succeeded' || s.kind === 'failed';
}

/** The transfer is under way: the caller waits on hold for its outcome. */
export function isTransferPending(s: TransferState): boolean {
  return s.kind === 'requested' || s.kind === 'accepted';
}
