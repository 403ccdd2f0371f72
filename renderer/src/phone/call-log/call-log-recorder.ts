/**
 * Writes every finished call into the local call log (direction, numbers, times, result, transfer).
 * The log's database (Dexie) and its keys load with the first finished call or the first look at
 * the log, not with the first screen. Without the keys a call is not logged (never in plaintext).
 */
import { callResultFromEnd, type CallLogEntry } from '../../../../shared/phone/call-log';
import type { CallView } from '../call-store';
import { shortDisplayName } from '../../../../shared/phone/remote-identity';
import { useSessionStore } from '../../session/session-store';
import { createRendererLogger } from '../../logging/logger';
import type { CallLines } from '../call-lines';

const log = createRendererLogger('calllog');

export function toCallLogEntry(call: CallView, startedAt: number, agentAccount?: string): CallLogEntry | undefined {
  const s = call.state;
  if (s.kind !== 'ended') return undefined;
  const transfer = call.transfer?.status === 'done' ? call.transfer : undefined;
  return {
    id: call.id,
    direction: s.direction,
    remoteNumber: call.remoteNumber.slice(0, 32),
    remoteName: shortDisplayName(call.remoteName),
    ...(call.dialled ? { dialled: call.dialled.slice(0, 32) } : {}),
    startedAt,
    ...(s.answeredAt !== undefined ? { answeredAt: s.answeredAt } : {}),
    endedAt: s.since,
    result: callResultFromEnd(s),
    ...(s.sipCode ? { sipCode: s.sipCode } : {}),
    ...(transfer ? { transferTarget: transfer.target, transferKind: transfer.kind } : {}),
    ...(call.transferFailed
      ? {
          transferFailed: {
            target: call.transferFailed.target.slice(0, 32),
            kind: call.transferFailed.kind,
            reason: call.transferFailed.reason,
            ...(call.transferFailed.code !== undefined ? { sipCode: call.transferFailed.code } : {}),
          },
        }
      : {}),
    ...(call.conference ? { conference: true } : {}),
    ...(agentAccount ? { agentAccount } : {}),
  };
}

/** Subscribe the call log to the softphone's calls; returns the unsubscribe function. */
export function recordCalls(lines: CallLines): () => void {
  const started = new Map<string, number>();
  return lines.onCall((call, phase) => {
    if (phase === 'started') {
      started.set(call.id, call.state.since);
      return;
    }
    const entry = toCallLogEntry(call, started.get(call.id) ?? call.state.since, useSessionStore.getState().status?.user?.account);
    started.delete(call.id);
    if (!entry) return;
    import('./call-log-store')
      .then((store) => store.recordCallLog(entry))
      .catch((error: unknown) => log.warn('call not logged', { reason: error instanceof Error ? error.message : String(error) }));
  });
}
