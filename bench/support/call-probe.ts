/**
 * Timing probes shared by every page of the call benchmark (the workstation, the bare SIP.js
 * agent, the caller, the callee). Bundled into each page, so the workstation and its reference
 * are measured by the same code:
 *
 *   - a clock comparable across Chromium processes on one machine (epoch ms, sub-ms resolution);
 *   - "shown": a MutationObserver notices a DOM condition, the next animation frame stamps it
 *     (the frame that paints it);
 *   - first RTP: every RTCPeerConnection the page creates is watched; the first inbound audio
 *     packet is stamped (track unmute and a fine getStats poll, whichever says so first);
 *   - SIP on the wire: the WebSocket's creation, the INVITE and the 200 OK it sends, and the first
 *     INVITE it receives are stamped.
 *
 * Marks are per call: the harness reads and clears them between calls, so nothing accumulates.
 */

/** Epoch milliseconds with the resolution of performance.now(), comparable across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export type Marks = Record<string, number>;

export interface Probe {
  readonly marks: Marks;
  /** Stamp `name` now, unless it is already stamped. */
  mark(name: string, at?: number): void;
  /** Clear the marks (start of a call). */
  reset(): void;
  /** Stamp `name` in the frame after `condition` first holds (checked on every DOM mutation). */
  whenShown(name: string, condition: () => boolean): void;
}

declare global {
  interface Window {
    benchProbe: Probe;
  }
}

/** How often getStats is polled while a peer connection waits for its first packet. */
const RTP_POLL_MS = 10;
/** Give up polling a connection that never receives anything. */
const RTP_POLL_LIMIT_MS = 20_000;

export function installProbe(): Probe {
  if (window.benchProbe) return window.benchProbe;
  const marks: Marks = {};
  const watches = new Map<string, () => boolean>();
  const pending = new Set<string>();

  const check = () => {
    for (const [name, condition] of watches) {
      if (name in marks || pending.has(name) || !condition()) continue;
      pending.add(name);
      requestAnimationFrame(() => {
        pending.delete(name);
        if (!(name in marks)) marks[name] = now();
      });
    }
  };

  const probe: Probe = {
    marks,
    mark(name, at = now()) {
      if (!(name in marks)) marks[name] = at;
    },
    reset() {
      for (const k of Object.keys(marks)) delete marks[k];
    },
    whenShown(name, condition) {
      watches.set(name, condition);
      check();
    },
  };
  window.benchProbe = probe;

  const observe = () => new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  if (document.documentElement) observe();
  else document.addEventListener('DOMContentLoaded', observe, { once: true });

  instrumentWebSocket(probe);
  instrumentPeerConnections(probe);
  return probe;
}

/**
 * The SIP transport is the page's only WebSocket: its creation is when the SIP stack starts
 * connecting, and what it sends says when an INVITE or the 200 OK answering one hits the wire.
 */
function instrumentWebSocket(probe: Probe): void {
  const Native = window.WebSocket;
  class ProbedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      probe.mark('wsCreated');
      super(url, protocols);
      // Registered before the SIP stack's own handler: when an INVITE reached the page.
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data === 'string' && event.data.startsWith('INVITE ')) probe.mark('inviteArrived');
      });
    }

    override send(data: Parameters<WebSocket['send']>[0]): void {
      if (typeof data === 'string') {
        // The last INVITE counts: the first one is challenged by the proxy and sent again with credentials.
        if (data.startsWith('INVITE ')) probe.marks.inviteSent = now();
        else if (data.startsWith('SIP/2.0 200') && /^CSeq:\s*\d+\s+INVITE\s*$/m.test(data)) probe.mark('okSent');
      }
      super.send(data);
    }
  }
  window.WebSocket = ProbedWebSocket;
}

/**
 * Stamps `firstRtp` when the first audio packet arrives on any peer connection of the current
 * call. Chromium unmutes a remote track when its first packet arrives; the getStats poll is the
 * fallback and the cross-check (`firstRtpStats`, `firstRtpUnmute` are kept separately).
 */
function instrumentPeerConnections(probe: Probe): void {
  const Native = window.RTCPeerConnection;
  class ProbedPeerConnection extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      probe.mark('pcCreated');
      this.addEventListener('icegatheringstatechange', () => probe.mark(`ice_${this.iceGatheringState}`));
      this.addEventListener('connectionstatechange', () => probe.mark(`pc_${this.connectionState}`));
      this.addEventListener('track', (event) => {
        const track = event.track;
        if (track.kind !== 'audio') return;
        const onFirst = (how: string) => {
          const at = now();
          probe.mark(`firstRtp${how}`, at);
          probe.mark('firstRtp', at);
        };
        if (!track.muted) onFirst('Unmute');
        else track.addEventListener('unmute', () => onFirst('Unmute'), { once: true });
        void pollFirstPacket(this, event.receiver, () => onFirst('Stats'));
      });
    }
  }
  // Each offer/answer step's start and end (diagnostics for CALL_BENCH_DEBUG: where the answer's time goes).
  for (const step of ['setRemoteDescription', 'createAnswer', 'setLocalDescription'] as const) {
    const original = Native.prototype[step] as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(ProbedPeerConnection.prototype, step, {
      configurable: true,
      value(this: RTCPeerConnection, ...args: unknown[]) {
        probe.mark(`${step}Start`);
        return original.apply(this, args).finally(() => probe.mark(`${step}End`));
      },
    });
  }
  window.RTCPeerConnection = ProbedPeerConnection;
}

async function pollFirstPacket(pc: RTCPeerConnection, receiver: RTCRtpReceiver, onFirst: () => void): Promise<void> {
  const until = performance.now() + RTP_POLL_LIMIT_MS;
  while (performance.now() < until && pc.connectionState !== 'closed') {
    let received = 0;
    (await receiver.getStats()).forEach((r: { type?: string; packetsReceived?: number }) => {
      if (r.type === 'inbound-rtp') received += r.packetsReceived ?? 0;
    });
    if (received > 0) {
      onFirst();
      return;
    }
    await new Promise((r) => setTimeout(r, RTP_POLL_MS));
  }
}
