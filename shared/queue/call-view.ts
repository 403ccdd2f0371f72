/** A queued call as the platform sends it (routes.ts) → as the figures read it (figures.ts). */
import type { QueueCall } from './figures';
import type { QueueEntryState } from './queue-entry';
import type { QueueCallView } from './routes';

export function queueCallOf(c: QueueCallView): QueueCall {
  const base = { callId: c.callId, line: c.line, enqueuedAt: c.enqueuedAt, since: c.since, offers: c.offers };
  let entry: QueueEntryState;
  switch (c.state) {
    case 'waiting':
      entry = { ...base, kind: 'waiting' };
      break;
    case 'offered':
    case 'answered':
      entry = { ...base, kind: c.state, agentId: c.agentId ?? '' };
      break;
    case 'abandoned':
      entry = { ...base, kind: 'abandoned', reason: c.reason ?? 'callerHangup', ...(c.whileOffered ? { whileOffered: true } : {}) };
      break;
    case 'overflowed':
      entry = { ...base, kind: 'overflowed', target: c.target ?? '' };
      break;
  }
  return { entry, ...(c.talkEndedAt !== undefined ? { talkEndedAt: c.talkEndedAt } : {}), ...(c.wrapEndedAt !== undefined ? { wrapEndedAt: c.wrapEndedAt } : {}) };
}
