/**
 * The one place SIP.js is used. It owns the user agent and the registration and keeps the
 * registration honest: connect and register at start; on WebSocket loss, network change or
 * system resume, reconnect and re-register with full-jitter backoff, forever; an authentication
 * failure stops retrying and says why. SIP.js objects never leave this module; the connection
 * store gets plain states.
 *
 *   unconfigured ─configure─► connecting ──REGISTER 200──► registered
 *                                 ▲   │                       │
 *                     backoff timer   └─transport error──► connecting (retry) ◄── ws lost / resume
 *                                     └─401/403 with credentials──► failed(auth)   (no retry)
 */
import { Invitation, Inviter, Registerer, RegistererState, SessionState, UserAgent, type Session, type UserAgentOptions } from 'sip.js';
import type { Settings } from '../../../shared/settings/schema';
import { isLoopbackUrl } from '../../../shared/settings/schema';
import { fullJitterDelay } from '../../../shared/softphone/backoff';
import { useConnectionStore, type SipConnection } from '../stores/connection-store';
import { createRendererLogger } from '../logging';
import { dialing, incoming, isLive, transition, type CallEvent } from '../../../shared/softphone/call-machine';
import { classifyPhone, normalizePhone } from '../../../shared/domain/phone';
import { cleanDisplayName, cleanNumber } from '../../../shared/softphone/remote-identity';
import { useCallStore } from '../stores/call-store';
import { enterAfterCallWork, enterOnCall, useAgentStore } from '../stores/agent-store';
import { bridge } from '../bridge';

const log = createRendererLogger('sip');

export type SipFailure = 'auth' | 'insecureServer' | 'noPassword' | 'rejected';

export interface SipCredentials {
  authUser: string;
  password: string;
}

function setState(sip: SipConnection, extra: { failure?: SipFailure; insecure?: boolean } = {}) {
  useConnectionStore.setState({ sip, sipFailure: extra.failure, sipInsecure: extra.insecure ?? useConnectionStore.getState().sipInsecure });
}

/** Longest wait between reconnect attempts (full jitter below it). */
export const RECONNECT_CAP_MS = 4000;

/** The part of SIP.js's web session description handler used for hold and mute. */
interface MediaHandler {
  enableSenderTracks(enable: boolean): void;
  enableReceiverTracks(enable: boolean): void;
}

export class SipService {
  private ua: UserAgent | undefined;
  private registerer: Registerer | undefined;
  private retryTimer: number | undefined;
  private attempt = 0;
  private stopped = true;
  private readonly onOnline = () => this.kick('network online');

  /** Start (or restart) with these settings. */
  async start(sip: Settings['sip'], credentials: SipCredentials): Promise<void> {
    await this.stop();
    if (!sip.serverUrl || !sip.extension || !sip.domain) {
      setState('unconfigured');
      return;
    }
    const insecure = sip.serverUrl.startsWith('ws:');
    if (insecure && !isLoopbackUrl(sip.serverUrl) && !sip.allowInsecureWs) {
      setState('failed', { failure: 'insecureServer', insecure });
      return;
    }
    this.stopped = false;
    this.domain = sip.domain;
    const p = sip.audioProcessing;
    this.audio = { echoCancellation: p, noiseSuppression: p, autoGainControl: p };
    const uri = UserAgent.makeURI(`sip:${sip.extension}@${sip.domain}`);
    if (!uri) {
      setState('failed', { failure: 'rejected' });
      return;
    }
    const options: UserAgentOptions = {
      uri,
      // SIP.js does not escape quotes in the From display name; strict proxies drop such requests.
      displayName: sip.displayName.replace(/["\\]/g, '').trim() || undefined,
      authorizationUsername: credentials.authUser,
      authorizationPassword: credentials.password,
      transportOptions: { server: sip.serverUrl, connectionTimeout: 5, keepAliveInterval: 15 },
      sessionDescriptionHandlerFactoryOptions: {
        // No public STUN by default: offline, ICE would wait for its whole timeout.
        peerConnectionConfiguration: { iceServers: sip.iceServers.map((urls) => ({ urls })) },
        iceGatheringTimeout: sip.iceGatheringTimeoutMs,
      },
      logBuiltinEnabled: false,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) => {
        if (level === 'error' || level === 'warn') log.warn(`${category}: ${content.slice(0, 300)}`);
      },
      delegate: {
        onInvite: (invitation) => this.onInvite(invitation),
        onDisconnect: (error) => {
          if (this.stopped) return;
          log.warn('SIP transport lost', { reason: error?.message ?? 'closed' });
          setState('connecting', { insecure });
          this.scheduleRetry();
        },
      },
    };
    this.ua = new UserAgent(options);
    this.registerer = new Registerer(this.ua, { expires: sip.registerExpiresS });
    this.registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) {
        this.attempt = 0;
        setState('registered', { insecure });
      }
    });
    window.addEventListener('online', this.onOnline);
    setState('connecting', { insecure });
    await this.connectAndRegister();
  }

  /** Reconnect now (network back, system resumed). */
  kick(reason: string): void {
    if (this.stopped || !this.ua) return;
    log.info('SIP reconnect requested', { reason });
    this.attempt = 0;
    this.clearRetry();
    void this.connectAndRegister();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearRetry();
    window.removeEventListener('online', this.onOnline);
    const ua = this.ua;
    const registerer = this.registerer;
    this.ua = undefined;
    this.registerer = undefined;
    if (registerer && registerer.state === RegistererState.Registered) await registerer.unregister().catch(() => undefined);
    if (ua) await ua.stop().catch(() => undefined);
    setState('unregistered');
  }

  private async connectAndRegister(): Promise<void> {
    const ua = this.ua;
    const registerer = this.registerer;
    if (!ua || !registerer) return;
    try {
      if (ua.isConnected()) {
        // already connected
      } else if (ua.state === 'Started') {
        await ua.reconnect();
      } else {
        await ua.start();
      }
    } catch (error) {
      if (this.stopped || ua !== this.ua) return;
      log.warn('SIP server unreachable', { reason: error instanceof Error ? error.message : String(error) });
      setState('connecting');
      this.scheduleRetry();
      return;
    }
    await registerer
      .register({
        requestDelegate: {
          // SIP.js keeps the registerer "Registered" across a transport loss, so a successful
          // re-REGISTER emits no state change: the accepted reply is what says we are back.
          onAccept: () => {
            this.attempt = 0;
            setState('registered');
          },
          onReject: (response) => {
            const code = response.message.statusCode ?? 0;
            if (code === 401 || code === 403 || code === 407) {
              // Wrong credentials: retrying would only lock the account. Say why and stop.
              log.warn('SIP registration refused: authentication failed', { code });
              this.stopped = true;
              this.clearRetry();
              setState('failed', { failure: 'auth' });
            } else if (code === 408 || code >= 500) {
              setState('connecting');
              this.scheduleRetry();
            } else {
              log.warn('SIP registration rejected', { code });
              setState('failed', { failure: 'rejected' });
            }
          },
        },
      })
      .catch((error: unknown) => {
        if (this.stopped) return;
        log.warn('SIP register failed', { reason: error instanceof Error ? error.message : String(error) });
        this.scheduleRetry();
      });
  }

  // ---- calls ----------------------------------------------------------------------------------

  private session: Session | undefined;
  private domain: string | undefined;
  private audio: MediaTrackConstraints = {};
  private remoteAudio: HTMLAudioElement | undefined;
  private statsTimer: number | undefined;

  private onInvite(invitation: Invitation): void {
    const busy = useCallStore.getState().call && isLive(useCallStore.getState().call!.state);
    if (busy || useAgentStore.getState().status.state !== 'ready') {
      // Offered while not ready (or already on a call): busy, so the queue offers it elsewhere.
      void invitation.reject({ statusCode: 486 }).catch(() => undefined);
      log.info('call refused', { reason: busy ? 'on another call' : 'agent not ready' });
      return;
    }
    this.session = invitation;
    const identity = invitation.remoteIdentity;
    const dialled = invitation.request.getHeader('X-Dialled-Number') ?? invitation.request.ruri?.user;
    useCallStore.setState({
      call: {
        id: invitation.request.callId,
        remoteName: cleanDisplayName(identity.displayName),
        remoteNumber: cleanNumber(identity.uri.user),
        dialled: dialled ? cleanNumber(dialled) : undefined,
        state: incoming(Date.now()),
      },
    });
    invitation.stateChange.addListener((state) => {
      if (state === SessionState.Established) this.onEstablished(invitation);
      if (state === SessionState.Terminated) this.onTerminated();
    });
    void bridge().app.focusWindow();
  }

  /** Call a number (mobile, landline with area code, or a short/service number). */
  async dial(number: string): Promise<'ok' | 'invalidNumber' | 'busy' | 'notRegistered'> {
    const target = normalizePhone(number);
    if (!classifyPhone(target)) return 'invalidNumber';
    const current = useCallStore.getState().call;
    if (current && isLive(current.state)) return 'busy';
    const ua = this.ua;
    const domain = this.domain;
    const uri = ua && domain ? UserAgent.makeURI(`sip:${target}@${domain}`) : undefined;
    if (!ua || !uri || useConnectionStore.getState().sip !== 'registered') return 'notRegistered';
    const inviter = new Inviter(ua, uri, { sessionDescriptionHandlerOptions: { constraints: { audio: this.audio, video: false } } });
    this.session = inviter;
    useCallStore.setState({ call: { id: inviter.request.callId, remoteName: '', remoteNumber: target, state: dialing(Date.now()) } });
    inviter.stateChange.addListener((state) => {
      if (state === SessionState.Established) this.onEstablished(inviter);
      if (state === SessionState.Terminated) this.onTerminated();
    });
    await inviter
      .invite({
        requestDelegate: {
          onProgress: (response) => {
            if (response.message.statusCode === 183) this.apply({ type: 'progress', early: true });
          },
          onReject: (response) => {
            this.apply({ type: 'failed', sipCode: response.message.statusCode });
          },
        },
      })
      .catch((error: unknown) => {
        log.warn('dial failed', { reason: error instanceof Error ? error.message : String(error) });
        this.apply({ type: 'failed' });
      });
    return 'ok';
  }

  /** Put the call on hold (re-INVITE offering sendonly) or take it off hold. */
  async setHold(hold: boolean): Promise<void> {
    const s = this.session;
    if (!s || s.state !== SessionState.Established || !this.apply(hold ? { type: 'hold' } : { type: 'resume' })) return;
    const sdh = s.sessionDescriptionHandler as unknown as MediaHandler | undefined;
    // The web SDH reads `hold` from the re-INVITE options and offers sendonly / sendrecv.
    (s as unknown as { sessionDescriptionHandlerOptionsReInvite: Record<string, unknown> }).sessionDescriptionHandlerOptionsReInvite = {
      ...(s.sessionDescriptionHandlerOptionsReInvite as Record<string, unknown>),
      hold,
    };
    const applyTracks = (held: boolean) => {
      sdh?.enableReceiverTracks(!held);
      const muted = useCallStore.getState().call?.state;
      sdh?.enableSenderTracks(!held && !(muted && 'muted' in muted && muted.muted));
    };
    await s
      .invite({
        requestDelegate: {
          onAccept: () => applyTracks(hold),
          onReject: () => {
            log.warn('hold/resume refused by the far end');
            this.apply(hold ? { type: 'resume' } : { type: 'hold' });
            applyTracks(!hold);
          },
        },
      })
      .catch((error: unknown) => {
        log.warn('hold/resume failed', { reason: error instanceof Error ? error.message : String(error) });
        this.apply(hold ? { type: 'resume' } : { type: 'hold' });
      });
  }

  /** Mute or unmute the agent's microphone (the far end hears silence). */
  setMuted(muted: boolean): void {
    const s = this.session;
    const sdh = s?.sessionDescriptionHandler as unknown as MediaHandler | undefined;
    if (!sdh || !this.apply({ type: 'mute', muted })) return;
    const held = useCallStore.getState().call?.state.kind === 'held';
    sdh.enableSenderTracks(!muted && !held);
  }

  /** Answer the ringing call with the headset microphone. */
  async answer(): Promise<void> {
    const s = this.session;
    if (!(s instanceof Invitation) || !this.apply({ type: 'answer' })) return;
    await s.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: this.audio, video: false } } }).catch((error: unknown) => {
      log.warn('answer failed', { reason: error instanceof Error ? error.message : String(error) });
      this.apply({ type: 'failed' });
    });
  }

  /** Hang up, or reject a ringing call (603 Decline). */
  async hangup(): Promise<void> {
    const s = this.session;
    const call = useCallStore.getState().call;
    if (!s || !call || !isLive(call.state)) return;
    if (call.state.kind === 'ringing' && s instanceof Invitation) {
      this.apply({ type: 'reject' });
      await s.reject({ statusCode: 603 }).catch(() => undefined);
    } else if (s.state === SessionState.Established) {
      this.apply({ type: 'hangup' });
      await s.bye().catch(() => undefined);
    } else if (s instanceof Inviter) {
      this.apply({ type: 'hangup' });
      await s.cancel().catch(() => undefined);
    }
  }

  private apply(event: CallEvent): boolean {
    const call = useCallStore.getState().call;
    if (!call) return false;
    const next = transition(call.state, event, Date.now());
    if (!next) return false;
    useCallStore.setState({ call: { ...call, state: next } });
    return true;
  }

  private onEstablished(s: Session): void {
    this.apply({ type: 'established' });
    enterOnCall();
    void bridge().app.setCallActive({ active: true });
    const pc = (s.sessionDescriptionHandler as unknown as { peerConnection?: RTCPeerConnection } | undefined)?.peerConnection;
    if (pc) {
      const stream = new MediaStream();
      pc.getReceivers().forEach((r) => r.track && stream.addTrack(r.track));
      this.remoteAudio ??= new Audio();
      this.remoteAudio.autoplay = true;
      this.remoteAudio.srcObject = stream;
      void this.remoteAudio.play().catch(() => undefined);
      this.statsTimer = window.setInterval(() => void this.sampleLevels(pc), 500);
    }
  }

  private onTerminated(): void {
    const call = useCallStore.getState().call;
    if (call && isLive(call.state)) this.apply(call.state.kind === 'ringing' ? { type: 'cancelled' } : { type: 'remoteBye' });
    const answered = call && 'answeredAt' in call.state;
    if (this.statsTimer !== undefined) window.clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    if (this.remoteAudio) this.remoteAudio.srcObject = null;
    useCallStore.setState({ levels: { mic: 0, farEnd: 0 } });
    this.session = undefined;
    void bridge().app.setCallActive({ active: false });
    if (answered) enterAfterCallWork();
  }

  private async sampleLevels(pc: RTCPeerConnection): Promise<void> {
    let farEnd = 0;
    let mic = 0;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio' && typeof r.audioLevel === 'number') farEnd = Math.max(farEnd, r.audioLevel);
      if (r.type === 'media-source' && r.kind === 'audio' && typeof r.audioLevel === 'number') mic = Math.max(mic, r.audioLevel);
    });
    useCallStore.setState({ levels: { mic, farEnd } });
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.clearRetry();
    // Capped low: an agent must be reachable again within seconds of the server coming back, and
    // full jitter spreads a whole center's seats over the window.
    const delay = fullJitterDelay(this.attempt++, 500, RECONNECT_CAP_MS);
    this.retryTimer = window.setTimeout(() => void this.connectAndRegister(), delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

export const sipService = new SipService();
