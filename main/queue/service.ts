/**
 * The call distribution in main: this seat's presence in the queue, and the shift lead's view
 * (snapshot, live feed, setting an agent Not ready) through the platform with main's session.
 */
import { queueIpc } from '../../shared/queue/ipc';
import { platformApi } from '../../shared/http';
import type { AgentStatus } from '../../shared/agent/state';
import type { DomainService, ServiceContext } from '../ipc/service';
import type { PlatformClient } from '../session/platform-client';
import { platformCaller } from '../session/platform-failure';
import { SeatPresence } from './seat-presence';
import { LiveFeed } from '../session/live-feed';

export interface QueueServiceOptions {
  platform: PlatformClient;
  agentStatus(): AgentStatus;
  onAgentStatus(listener: (s: AgentStatus) => void): () => void;
}

export function queueService(ctx: ServiceContext, options: QueueServiceOptions): DomainService<typeof queueIpc> {
  const log = ctx.logger.child('queue');
  const call = platformCaller(options.platform, log);
  const presence = new SeatPresence({
    platform: options.platform,
    extension: () => ctx.settings.get('sip').extension,
    agentStatus: options.agentStatus,
    onAgentStatus: options.onAgentStatus,
    onStateSet: (s) => ctx.emit(queueIpc.onStateSet, s),
    logger: log,
  });
  presence.start();
  // An extension entered (or changed) after sign-in: join at once rather than at the next beat.
  let extension = ctx.settings.get('sip').extension;
  const offSettings = ctx.settings.onChanged(() => {
    const next = ctx.settings.get('sip').extension;
    if (next === extension) return;
    extension = next;
    void presence.beat();
  });
  const feed = new LiveFeed({
    platform: options.platform,
    onEvent: (e) => ctx.emit(queueIpc.onLive, e),
    onState: (s) => ctx.emit(queueIpc.onFeed, s),
    logger: log,
  });
  return {
    ipc: queueIpc,
    handlers: {
      snapshot: ({ from }) => call(queueIpc.snapshot, () => options.platform.call(platformApi.queue.snapshot, { query: from !== undefined ? { from } : {} })),
      setAgentNotReady: ({ userId, reason }) =>
        call(queueIpc.setAgentNotReady, () => options.platform.call(platformApi.queue.setAgentState, { params: { userId }, body: { state: 'notReady', reason } })),
      setThresholds: (thresholds) => call(queueIpc.setThresholds, () => options.platform.call(platformApi.queue.setThresholds, { body: thresholds })),
      refresh: () => {
        // The distribution hears that the offer rang out a moment after the phone stops ringing.
        void presence.beat();
        setTimeout(() => void presence.beat(), 1500).unref?.();
        return null;
      },
      follow: ({ on }) => {
        feed.follow(on);
        return null;
      },
    },
    dispose() {
      offSettings();
      presence.dispose();
      feed.dispose();
    },
  };
}
