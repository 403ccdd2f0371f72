/**
 * The media watchdog: does the far end's audio actually arrive? Pure rules, fed by the call leg
 * with getStats samples (twice a second) and with the moments when media is expected to (re)start.
 *
 *   - After answer, resume, any re-INVITE, a device switch or a network change the seat expects
 *     inbound RTP within `timeoutMs`. If the inbound packet count does not grow for `timeoutMs`
 *     since that moment (or since the last packet), the verdict is `noMedia`: `noPackets` when
 *     nothing arrived since the expectation started, `mediaStopped` when packets came then stopped.
 *   - An ICE connection `disconnected` (or `failed`) for `iceGraceMs` is `noMedia` too
 *     (`iceDisconnected`), whatever the packet count says.
 *   - While the seat does not expect audio (on hold, the far end's SDP is sendonly/inactive), the
 *     watchdog is paused; expecting again restarts the clock.
 *   - Before the first packet and within the time allowed: `waiting`; packets flowing: `ok`.
 *
 * A window with zero received packets is graded `noMedia`, never `good` (gradeWindow).
 */
export type MediaEventKind = 'answered' | 'resumed' | 'reinvited' | 'deviceSwitched' | 'networkChanged';

export type NoMediaReason = 'noPackets' | 'mediaStopped' | 'iceDisconnected';

export type MediaVerdict = { readonly kind: 'ok' } | { readonly kind: 'waiting' } | { readonly kind: 'noMedia'; readonly reason: NoMediaReason };

export interface MediaSample {
  /** Milliseconds (any monotonic clock shared with the events). */
  readonly at: number;
  /** Cumulative inbound audio RTP packets (getStats inbound-rtp packetsReceived). */
  readonly packetsReceived: number;
  /** RTCPeerConnection.iceConnectionState. */
  readonly iceState: string;
  /** The seat expects audio now (call active, the far end's direction includes sending). */
  readonly expecting: boolean;
}

export interface WatchdogConfig {
  /** How long inbound audio may be missing before the warning (the `calls.noMediaWarningS` setting). */
  readonly timeoutMs: number;
  /** How long ICE may stay disconnected before the warning. */
  readonly iceGraceMs: number;
}

export const DEFAULT_ICE_GRACE_MS = 3000;

export interface WatchdogState {
  /** When media was last expected to (re)start; undefined until answered or while paused. */
  readonly armedAt: number | undefined;
  /** Packets counted at the last sample. */
  readonly packets: number;
  /** When the packet count last grew after armedAt. */
  readonly lastPacketAt: number | undefined;
  /** Since when ICE has been disconnected. */
  readonly iceDownSince: number | undefined;
  readonly expecting: boolean;
}

export const initialWatchdog = (): WatchdogState => ({ armedAt: undefined, packets: 0, lastPacketAt: undefined, iceDownSince: undefined, expecting: true });

/** Media is expected to (re)start now: the clock starts again from `at`. */
export function watchdogEvent(s: WatchdogState, _event: MediaEventKind, at: number): WatchdogState {
  return { ...s, armedAt: at, lastPacketAt: undefined };
}

/** Take a sample; returns the new state and the verdict for it. */
export function watchdogSample(s: WatchdogState, sample: MediaSample, cfg: WatchdogConfig): { state: WatchdogState; verdict: MediaVerdict } {
  const grew = sample.packetsReceived > s.packets;
  const iceDown = sample.iceState === 'disconnected' || sample.iceState === 'failed';
  const iceDownSince = iceDown ? (s.iceDownSince ?? sample.at) : undefined;
  if (!sample.expecting) {
    // Paused: nothing is expected; being expected again restarts the clock.
    return { state: { ...s, packets: sample.packetsReceived, armedAt: undefined, lastPacketAt: undefined, iceDownSince, expecting: false }, verdict: { kind: 'ok' } };
  }
  const armedAt = s.armedAt ?? (s.expecting ? undefined : sample.at);
  const state: WatchdogState = {
    armedAt,
    packets: sample.packetsReceived,
    lastPacketAt: armedAt !== undefined && grew ? sample.at : s.lastPacketAt,
    iceDownSince,
    expecting: true,
  };
  if (iceDownSince !== undefined && sample.at - iceDownSince >= cfg.iceGraceMs) return { state, verdict: { kind: 'noMedia', reason: 'iceDisconnected' } };
  if (armedAt === undefined) return { state, verdict: { kind: 'waiting' } };
  const silentSince = state.lastPacketAt ?? armedAt;
  if (sample.at - silentSince >= cfg.timeoutMs) {
    return { state, verdict: { kind: 'noMedia', reason: state.lastPacketAt === undefined ? 'noPackets' : 'mediaStopped' } };
  }
  return { state, verdict: state.lastPacketAt === undefined ? { kind: 'waiting' } : { kind: 'ok' } };
}

export type QualityGrade = 'good' | 'fair' | 'poor' | 'noMedia';

/** Grade a sampling window by loss, jitter and round trip; a window without packets is `noMedia`. */
export function gradeWindow(w: { received: number; loss: number; jitterMs: number; rttMs: number }): QualityGrade {
  if (w.received <= 0) return 'noMedia';
  if (w.loss > 0.05 || w.jitterMs > 60 || w.rttMs > 500) return 'poor';
  if (w.loss > 0.01 || w.jitterMs > 30 || w.rttMs > 250) return 'fair';
  return 'good';
}
