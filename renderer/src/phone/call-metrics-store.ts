/**
 * What a call's media measures twice a second: far-end level, network quality, the agent's
 * microphone level. Kept apart from the call store so that these samples re-render only the
 * meters and the quality tag, never the call card and the controls.
 */
import { create } from 'zustand';
import type { CallQuality } from './call-store';
import type { NoMediaReason } from '../../../shared/phone/media-watchdog';

export interface LineMetrics {
  /** Audio level 0..1 of what the far end sends, from getStats. */
  readonly farEndLevel: number;
  readonly quality?: CallQuality;
  /** The media watchdog's verdict: no audio from the far end (why), or undefined while it flows. */
  readonly noMedia?: NoMediaReason;
}

/** Counters for diagnostics (this session of the app). */
export interface MediaDiagnostics {
  /** No-media warnings shown. */
  readonly noMediaWarnings: number;
  /** Media retries (re-INVITE with ICE restart) asked for by the agent. */
  readonly mediaRetries: number;
  /** Hold / resume re-INVITEs the far end refused. */
  readonly holdRefusals: number;
}

/** No-media warnings by the watchdog's reason (this session), counted as each warning appears. */
export type NoMediaReasonCounts = Readonly<Record<NoMediaReason, number>>;

export interface CallMetricsState {
  /** By call id; an entry lives while its leg samples. */
  readonly lines: Readonly<Record<string, LineMetrics>>;
  /** The agent's microphone level 0..1 on the focused line. */
  readonly micLevel: number;
  readonly diagnostics: MediaDiagnostics;
  /** The no-media warnings of `diagnostics` by reason. */
  readonly noMediaReasons: NoMediaReasonCounts;
}

export const getEmptyCallMetrics = (): CallMetricsState => ({
  lines: {},
  micLevel: 0,
  diagnostics: { noMediaWarnings: 0, mediaRetries: 0, holdRefusals: 0 },
  noMediaReasons: { noPackets: 0, mediaStopped: 0, iceDisconnected: 0 },
});

export const useCallMetricsStore = create<CallMetricsState>()(getEmptyCallMetrics);

/**
 * A leg's sample. A no-media verdict that is new for the line (none before, or another reason) is
 * a new warning: it is counted under its reason, as the leg counts it in `noMediaWarnings`.
 */
export function setLineMetrics(id: string, metrics: LineMetrics): void {
  useCallMetricsStore.setState((s) => {
    const reason = metrics.noMedia;
    const lines = { ...s.lines, [id]: metrics };
    if (!reason || s.lines[id]?.noMedia === reason) return { lines };
    return { lines, noMediaReasons: { ...s.noMediaReasons, [reason]: s.noMediaReasons[reason] + 1 } };
  });
}

export function setMicLevel(level: number): void {
  if (useCallMetricsStore.getState().micLevel !== level) useCallMetricsStore.setState({ micLevel: level });
}

export function countDiagnostic(key: keyof MediaDiagnostics): void {
  useCallMetricsStore.setState((s) => ({ diagnostics: { ...s.diagnostics, [key]: s.diagnostics[key] + 1 } }));
}

/** The leg is gone: its meters read zero and nothing is kept for it. */
export function dropLineMetrics(id: string): void {
  useCallMetricsStore.setState((s) => {
    if (!(id in s.lines)) return s;
    const { [id]: _gone, ...rest } = s.lines;
    return { lines: rest };
  });
}

export const farEndLevelOf = (id: string) => (s: CallMetricsState) => s.lines[id]?.farEndLevel ?? 0;
export const qualityOf = (id: string) => (s: CallMetricsState) => s.lines[id]?.quality;
export const noMediaOf = (id: string) => (s: CallMetricsState) => s.lines[id]?.noMedia;
