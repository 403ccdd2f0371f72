/**
 * A bare SIP.js user agent for the other parties of a call (a caller from the public, a
 * sub-center seat). Bundled for the browser and run in its own Chromium, it registers, calls,
 * answers, hangs up and reports what it hears (inbound audio level from getStats).
 */
import { Invitation, Inviter, Registerer, SessionState, UserAgent, type Session } from 'sip.js';

interface PeerConfig {
  wsUrl: string;
  domain: string;
  user: string;
  password: string;
  displayName?: string;
}

declare global {
  interface Window {
    peer: ReturnType<typeof createPeer>;
    createPeer: typeof createPeer;
  }
}

function createPeer(cfg: PeerConfig) {
  let session: Session | undefined;
  let incoming: Invitation | undefined;
  const remoteAudio = new Audio();
  remoteAudio.autoplay = true;
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${cfg.user}@${cfg.domain}`)!,
    displayName: cfg.displayName,
    authorizationUsername: cfg.user,
    authorizationPassword: cfg.password,
    transportOptions: { server: cfg.wsUrl },
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 200 },
    logBuiltinEnabled: false,
    delegate: {
      onInvite: (inv) => {
        incoming = inv;
        track(inv);
      },
    },
  });
  const registerer = new Registerer(ua);

  function track(s: Session) {
    session = s;
    s.stateChange.addListener((st) => {
      if (st === SessionState.Established) {
        const pc = (s.sessionDescriptionHandler as unknown as { peerConnection: RTCPeerConnection }).peerConnection;
        const stream = new MediaStream();
        pc.getReceivers().forEach((r) => r.track && stream.addTrack(r.track));
        remoteAudio.srcObject = stream;
        void remoteAudio.play().catch(() => undefined);
      }
    });
  }

  const constraints = { sessionDescriptionHandlerOptions: { constraints: { audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }, video: false } } };

  return {
    async register() {
      await ua.start();
      await registerer.register();
      await new Promise<void>((resolve) => {
        if (registerer.state === 'Registered') return resolve();
        registerer.stateChange.addListener((st) => st === 'Registered' && resolve());
      });
    },
    async call(target: string, headers: string[] = []) {
      const inviter = new Inviter(ua, UserAgent.makeURI(`sip:${target}@${cfg.domain}`)!, { extraHeaders: headers, ...constraints });
      track(inviter);
      await inviter.invite();
    },
    async answer() {
      await incoming!.accept(constraints);
    },
    async hangup() {
      if (!session) return;
      if (session.state === SessionState.Established) await session.bye();
      else if (session instanceof Inviter) await session.cancel();
      else if (session instanceof Invitation) await session.reject();
    },
    state: () => session?.state ?? 'none',
    hasIncoming: () => !!incoming,
    /** Inbound RTP audio level (0..1) of the current call, from getStats. */
    async inboundLevel(): Promise<number> {
      const pc = session && (session.sessionDescriptionHandler as unknown as { peerConnection?: RTCPeerConnection })?.peerConnection;
      if (!pc) return 0;
      let level = 0;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio' && typeof r.audioLevel === 'number') level = Math.max(level, r.audioLevel);
      });
      return level;
    },
    /** Mean power of what was heard over `ms` (0 when nothing arrived): tells audio from silence. */
    async heardPower(ms = 1000): Promise<number> {
      const pc = session && (session.sessionDescriptionHandler as unknown as { peerConnection?: RTCPeerConnection })?.peerConnection;
      if (!pc) return 0;
      const sample = async () => {
        let energy = 0;
        let duration = 0;
        (await pc.getStats()).forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') {
            energy += r.totalAudioEnergy ?? 0;
            duration += r.totalSamplesDuration ?? 0;
          }
        });
        return [energy, duration] as const;
      };
      const [e1, d1] = await sample();
      await new Promise((r) => setTimeout(r, ms));
      const [e2, d2] = await sample();
      return d2 > d1 ? (e2 - e1) / (d2 - d1) : 0;
    },
    async stop() {
      await ua.stop();
    },
  };
}

window.createPeer = createPeer;
