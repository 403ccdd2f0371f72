/**
 * A bare SIP.js party for the call benchmark, bundled into its own Chromium: the caller, the
 * callee of the workstation's outbound calls, and the reference agent the workstation is
 * compared with. No UI framework: one status element whose text the probe watches.
 *
 * The reference agent is set up like the workstation's line (same ICE gathering cap, no audio
 * processing, the microphone acquired once at registration and cloned per call, the remote audio
 * played through an audio element) so that the comparison isolates what the workstation adds.
 * It answers by itself `autoAnswerAfterMs` after the ringing state is painted.
 */
import { Invitation, Inviter, Registerer, RegistererState, SessionState, UserAgent, Web, type Session } from 'sip.js';
import { installProbe } from './call-probe';

export interface PartyConfig {
  wsUrl: string;
  domain: string;
  user: string;
  password: string;
  displayName?: string;
  iceGatheringTimeoutMs: number;
  /** Answer incoming calls by themselves this long after the ringing is shown; null: do not. */
  autoAnswerAfterMs: number | null;
  /** Refuse incoming calls with this status code at once (a callee that only counts INVITEs). */
  rejectWith?: number;
}

export interface BareParty {
  register(): Promise<void>;
  /** Call `target`; resolves once the INVITE is on its way. */
  call(target: string): Promise<void>;
  /** As the agent dialling: stamps `dialAt` before anything else happens. */
  dial(target: string): Promise<void>;
  hangup(): Promise<void>;
  state(): string;
  stop(): Promise<void>;
}

declare global {
  interface Window {
    benchParty: BareParty;
    createBareParty: (cfg: PartyConfig) => BareParty;
  }
}

const probe = installProbe();

function createBareParty(cfg: PartyConfig): BareParty {
  const status = document.createElement('div');
  status.id = 'status';
  status.textContent = 'idle';
  document.body.append(status);
  probe.whenShown('registeredShown', () => status.textContent === 'registered');
  probe.whenShown('shown', () => status.textContent === 'ringing');

  const audio = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
  let warm: MediaStream | undefined;
  const microphone = async () => {
    if (!warm?.getAudioTracks().some((t) => t.readyState === 'live')) warm = await navigator.mediaDevices.getUserMedia({ audio, video: false });
    return new MediaStream(warm.getAudioTracks().map((t) => t.clone()));
  };
  const constraints = { sessionDescriptionHandlerOptions: { constraints: { audio, video: false } } };

  let session: Session | undefined;
  let remoteAudio: HTMLAudioElement | undefined;

  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${cfg.user}@${cfg.domain}`)!,
    displayName: cfg.displayName,
    authorizationUsername: cfg.user,
    authorizationPassword: cfg.password,
    transportOptions: { server: cfg.wsUrl },
    sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(microphone),
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: cfg.iceGatheringTimeoutMs },
    logBuiltinEnabled: false,
    delegate: {
      onInvite: (invitation) => {
        probe.mark('inviteReceived');
        if (cfg.rejectWith !== undefined || (session && session.state !== SessionState.Terminated)) {
          void invitation.reject({ statusCode: cfg.rejectWith ?? 486 }).catch(() => undefined);
          return;
        }
        track(invitation);
        status.textContent = 'ringing';
        if (cfg.autoAnswerAfterMs !== null) {
          const delay = cfg.autoAnswerAfterMs;
          // Counted from the frame that paints the ringing, as an agent would react to it.
          requestAnimationFrame(() => setTimeout(() => void answer(invitation), delay));
        }
      },
    },
  });
  const registerer = new Registerer(ua);

  async function answer(invitation: Invitation): Promise<void> {
    if (invitation.state !== SessionState.Initial) return;
    probe.mark('answerAt');
    status.textContent = 'answering';
    await invitation.accept(constraints).catch(() => undefined);
  }

  function track(s: Session): void {
    session = s;
    s.stateChange.addListener((st) => {
      if (st === SessionState.Established) {
        status.textContent = 'active';
        const media = s.sessionDescriptionHandler as unknown as { remoteMediaStream: MediaStream } | undefined;
        if (!media) return;
        remoteAudio ??= new Audio();
        remoteAudio.autoplay = true;
        remoteAudio.srcObject = media.remoteMediaStream;
        void remoteAudio.play().catch(() => undefined);
      } else if (st === SessionState.Terminated) {
        status.textContent = 'ended';
        if (remoteAudio) {
          remoteAudio.pause();
          remoteAudio.srcObject = null;
        }
      }
    });
  }

  async function call(target: string): Promise<void> {
    const inviter = new Inviter(ua, UserAgent.makeURI(`sip:${target}@${cfg.domain}`)!, constraints);
    track(inviter);
    status.textContent = 'calling';
    await inviter.invite();
  }

  return {
    async register() {
      await microphone().then((s) => s.getTracks().forEach((t) => t.stop()));
      await ua.start();
      const registered = new Promise<void>((resolve) => {
        registerer.stateChange.addListener((st) => st === RegistererState.Registered && resolve());
      });
      await registerer.register();
      await registered;
      status.textContent = 'registered';
    },
    call,
    async dial(target) {
      probe.mark('dialAt');
      await call(target);
    },
    async hangup() {
      const s = session;
      if (!s) return;
      if (s.state === SessionState.Established) await s.bye();
      else if (s instanceof Inviter) await s.cancel();
      else if (s instanceof Invitation && s.state === SessionState.Initial) await s.reject();
    },
    state: () => session?.state ?? 'none',
    async stop() {
      if (registerer.state === RegistererState.Registered) await registerer.unregister().catch(() => undefined);
      await ua.stop();
    },
  };
}

window.createBareParty = createBareParty;
