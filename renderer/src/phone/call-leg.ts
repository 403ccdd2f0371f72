/**
 * One call leg: a SIP.js session with its media (remote audio element on the headset, sender
 * track, getStats sampling) and its plain state in the call store. Only the SIP service creates
 * legs; SIP.js objects never leave the softphone folder.
 */
import type { Invitation, Inviter } from 'sip.js';
import { sipLib } from './sip-lib';
import { transition, type CallEvent } from '../../../shared/phone/call-machine';
import { updateCall, callById, useCallStore, type CallQuality } from './call-store';
import { countDiagnostic, dropLineMetrics, setLineMetrics, setMicLevel } from './call-metrics-store';
import {
  DEFAULT_ICE_GRACE_MS,
  gradeWindow,
  initialWatchdog,
  watchdogEvent,
  watchdogSample,
  type MediaEventKind,
  type NoMediaReason,
} from '../../../shared/phone/media-watchdog';
import { useSettingsStore } from '../settings/settings-store';
import { createRendererLogger } from '../logging/logger';
import { returnAudioElement, routeTo, takeAudioElement, type SinkAudio } from './audio/output-pool';

const log = createRendererLogger('sip');

/** The parts of SIP.js's web session description handler used here. */
interface WebMediaHandler {
  readonly peerConnection: RTCPeerConnection | undefined;
  readonly remoteMediaStream: MediaStream;
  enableSenderTracks(enable: boolean): void;
  enableReceiverTracks(enable: boolean): void;
  sendDtmf(tones: string, options?: { duration: number; interToneGap: number }): boolean;
}

/** Milliseconds per DTMF tone (and gap): long enough for IVRs and PSTN gateways to detect. */
const DTMF_TONE_MS = 160;
const DTMF_GAP_MS = 80;

export function gradeQuality(loss: number, jitterMs: number, rttMs: number): CallQuality['grade'] {
  if (loss > 0.05 || jitterMs > 60 || rttMs > 500) return 'poor';
  if (loss > 0.01 || jitterMs > 30 || rttMs > 250) return 'fair';
  return 'good';
}

/** Seconds without inbound audio before the no-media warning, from the settings (default 2). */
function noMediaTimeoutMs(): number {
  return Math.max(1, useSettingsStore.getState().settings?.calls.noMediaWarningS ?? 2) * 1000;
}

export class CallLeg {
  readonly id: string;
  private remoteAudio: SinkAudio | undefined;
  /** Where the audio plays once routed ('' = system default), and whether the screen shows the call yet. */
  private output: string | undefined;
  private shown = false;
  private statsTimer: number | undefined;
  private lastInbound = { received: 0, lost: 0 };
  /** The microphone track the session was set up with (restored after a conference). */
  private micTrack: MediaStreamTrack | undefined;
  /** The media watchdog (shared/phone/media-watchdog.ts), fed by sampleStats. */
  private watchdog = initialWatchdog();
  private noMedia: NoMediaReason | undefined;
  private readonly onOnline = () => this.expectMedia('networkChanged');
  private negotiating = false;
  private readonly onSignalingState = () => {
    // Any completed offer/answer (re-INVITE either way, ICE restart): audio must flow again.
    const state = this.media?.peerConnection?.signalingState;
    if (state && state !== 'stable') this.negotiating = true;
    else if (state === 'stable' && this.negotiating) {
      this.negotiating = false;
      this.expectMedia('reinvited');
    }
  };

  constructor(
    readonly session: Inviter | Invitation,
    private readonly sinkId: () => string,
  ) {
    this.id = session.request.callId;
  }

  get media(): WebMediaHandler | undefined {
    return this.session.sessionDescriptionHandler as unknown as WebMediaHandler | undefined;
  }

  get established(): boolean {
    return this.session.state === sipLib().SessionState.Established;
  }

  /** Feed an event to this leg's state machine; false when it does not apply. */
  apply(event: CallEvent): boolean {
    const call = callById(this.id);
    if (!call) return false;
    const next = transition(call.state, event, Date.now());
    if (!next) return false;
    updateCall(this.id, { state: next });
    return true;
  }

  /** Play what the far end sends on the headset (also early media before the answer). */
  attachRemoteAudio(): void {
    const media = this.media;
    if (!media) return;
    this.remoteAudio ??= takeAudioElement();
    if (this.remoteAudio.srcObject !== media.remoteMediaStream) this.remoteAudio.srcObject = media.remoteMediaStream;
    void this.applySink();
    void this.remoteAudio.play().catch(() => undefined);
  }

  /** Route this leg's audio to the chosen headset output (mid-call switches too). */
  async applySink(): Promise<void> {
    const el = this.remoteAudio;
    if (!el) return;
    const wanted = this.sinkId();
    const ok = await routeTo(el, wanted);
    if (!ok && wanted !== '') log.warn('headset output not available, using the default', {});
    this.output = ok ? wanted : '';
    if (this.shown) this.showOutput();
  }

  /** The call is shown as talking: from now on the screen also says where its audio plays. */
  show(): void {
    this.shown = true;
    this.showOutput();
  }

  private showOutput(): void {
    const call = callById(this.id);
    if (call && this.output !== undefined && call.outputDevice !== this.output) updateCall(this.id, { outputDevice: this.output });
  }

  /** The far end's audio track (muted until its first packet arrives). */
  remoteAudioTrack(): MediaStreamTrack | undefined {
    return this.media?.remoteMediaStream.getAudioTracks()[0];
  }

  /** The far end's audio as a stream (for the conference mixer). */
  remoteStream(): MediaStream | undefined {
    return this.media?.remoteMediaStream;
  }

  private sender(): RTCRtpSender | undefined {
    return this.media?.peerConnection?.getSenders().find((s) => s.track?.kind === 'audio' || s.track === null);
  }

  /** The microphone track this leg sends (before any conference mixing). */
  microphone(): MediaStreamTrack | undefined {
    this.micTrack ??= this.sender()?.track ?? undefined;
    return this.micTrack;
  }

  /** Send `track` instead of the microphone (conference mix), or the microphone again (undefined). */
  async sendTrack(track: MediaStreamTrack | undefined): Promise<void> {
    const mic = this.microphone();
    await this.sender()?.replaceTrack(track ?? mic ?? null);
  }

  /** Replace the microphone (the agent picked another one mid-call). */
  async replaceMicrophone(track: MediaStreamTrack): Promise<void> {
    const sender = this.sender();
    this.microphone();
    const mixing = sender?.track && this.micTrack && sender.track !== this.micTrack;
    this.micTrack?.stop();
    this.micTrack = track;
    if (!mixing) await sender?.replaceTrack(track);
    this.expectMedia('deviceSwitched');
  }

  /** Enable the sender and receiver for the current hold/mute state. */
  syncTracks(): void {
    const call = callById(this.id);
    if (!call || !this.media) return;
    // Held, or still held while the resume waits for the far end's answer.
    const held = call.state.kind === 'held' || call.state.kind === 'resuming';
    const muted = 'muted' in call.state && call.state.muted;
    this.media.enableReceiverTracks(!held);
    this.media.enableSenderTracks(!held && !muted);
  }

  /**
   * Put on hold (re-INVITE offering sendonly) or take off hold. The call shows `holding` /
   * `resuming` until the far end answers; a refusal puts it back and says why (SIP code).
   * Resolves false when the far end refused.
   */
  async setHold(hold: boolean): Promise<boolean> {
    const s = this.session;
    if (!this.established || !this.apply(hold ? { type: 'hold' } : { type: 'resume' })) return false;
    // The web SDH reads `hold` from the re-INVITE options and offers sendonly / sendrecv.
    const before = s.sessionDescriptionHandlerOptionsReInvite as Record<string, unknown>;
    (s as unknown as { sessionDescriptionHandlerOptionsReInvite: Record<string, unknown> }).sessionDescriptionHandlerOptionsReInvite = { ...before, hold };
    return new Promise<boolean>((resolve) => {
      const settle = (ok: boolean, sipCode?: number) => {
        if (!ok) {
          // Later re-INVITEs (retry, refresh) must offer what the call really is.
          (s as unknown as { sessionDescriptionHandlerOptionsReInvite: Record<string, unknown> }).sessionDescriptionHandlerOptionsReInvite = { ...before, hold: !hold };
          countDiagnostic('holdRefusals');
        }
        this.apply(ok ? { type: 'reinviteAccepted' } : { type: 'reinviteRejected', ...(sipCode ? { sipCode } : {}) });
        this.syncTracks();
        if (ok && !hold) this.expectMedia('resumed');
        resolve(ok);
      };
      s.invite({
        requestDelegate: {
          onAccept: () => settle(true),
          onReject: (response) => {
            log.warn('hold/resume refused by the far end', { code: response.message.statusCode, hold });
            void this.completeRefusedOffer(hold ? 'sendrecv' : 'sendonly').then(() => settle(false, response.message.statusCode));
          },
        },
      }).catch((error: unknown) => {
        log.warn('hold/resume failed', { reason: error instanceof Error ? error.message : String(error) });
        void this.completeRefusedOffer(hold ? 'sendrecv' : 'sendonly').then(() => settle(false));
      });
    });
  }

  /**
   * Try to get the far end's audio back: a re-INVITE with an ICE restart (the agent asked after
   * the no-media warning). Resolves false when it could not be sent or was refused.
   */
  async retryMedia(): Promise<boolean> {
    const s = this.session;
    if (!this.established) return false;
    countDiagnostic('mediaRetries');
    log.info('media retry: re-INVITE with ICE restart', { reason: this.noMedia ?? 'none' });
    const before = s.sessionDescriptionHandlerOptionsReInvite as Record<string, unknown>;
    const restore = () => {
      (s as unknown as { sessionDescriptionHandlerOptionsReInvite: Record<string, unknown> }).sessionDescriptionHandlerOptionsReInvite = before;
    };
    return new Promise<boolean>((resolve) => {
      s.invite({
        sessionDescriptionHandlerOptions: { ...before, offerOptions: { iceRestart: true } } as never,
        requestDelegate: {
          onAccept: () => {
            restore();
            this.expectMedia('reinvited');
            resolve(true);
          },
          onReject: (response) => {
            restore();
            log.warn('media retry refused by the far end', { code: response.message.statusCode });
            void this.rollbackLocalOffer().then(() => resolve(false));
          },
        },
      }).catch((error: unknown) => {
        restore();
        log.warn('media retry failed', { reason: error instanceof Error ? error.message : String(error) });
        void this.rollbackLocalOffer().then(() => resolve(false));
      });
    });
  }

  /**
   * A hold / resume re-INVITE was refused: the far end keeps the media as it was, so finish our
   * pending offer locally with the far end's last SDP as the answer, and come back to `keep` (the
   * direction the call had). SIP.js 0.21's web handler does not roll the offer back (the peer
   * connection would stay in have-local-offer and every later re-INVITE fail), and Chromium's
   * rollback of a re-offer made by the side that answered the call tears its DTLS transport down
   * (media stops both ways) — so no rollback here.
   */
  private async completeRefusedOffer(keep: 'sendrecv' | 'sendonly'): Promise<void> {
    const pc = this.media?.peerConnection;
    const remote = pc?.currentRemoteDescription?.sdp;
    if (!pc || pc.signalingState !== 'have-local-offer' || !remote) return;
    try {
      let role: string | undefined;
      (await pc.getStats()).forEach((r: { type: string; dtlsRole?: string }) => {
        if (r.type === 'transport' && r.dtlsRole && r.dtlsRole !== 'unknown') role = r.dtlsRole;
      });
      const setup = role === 'server' ? 'active' : 'passive';
      const reverse: Record<string, string> = { sendonly: 'recvonly', recvonly: 'sendonly', sendrecv: 'sendrecv', inactive: 'inactive' };
      const answer = (ours: string) =>
        remote.replace(/a=setup:actpass/g, `a=setup:${setup}`).replace(/a=(sendrecv|sendonly|recvonly|inactive)/g, `a=${reverse[ours] ?? 'sendrecv'}`);
      const offered = /a=(sendrecv|sendonly|recvonly|inactive)/.exec(pc.pendingLocalDescription?.sdp ?? '')?.[1] ?? 'sendrecv';
      await pc.setRemoteDescription({ type: 'answer', sdp: answer(offered) });
      if (offered === keep) return;
      const audio = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
      if (audio) audio.direction = keep;
      await pc.setLocalDescription(await pc.createOffer());
      await pc.setRemoteDescription({ type: 'answer', sdp: answer(keep) });
    } catch (error) {
      log.warn('restoring media after a refused re-INVITE failed', { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * A media retry (ICE restart) was refused: take our offer back. SIP.js 0.21's web session description
   * handler has no rollbackDescription, so without this the peer connection stays in
   * have-local-offer and every later re-INVITE (hold, resume, retry) fails.
   */
  private async rollbackLocalOffer(): Promise<void> {
    const pc = this.media?.peerConnection;
    if (pc?.signalingState !== 'have-local-offer') return;
    await pc.setLocalDescription({ type: 'rollback' }).catch((error: unknown) => {
      log.warn('offer rollback failed', { reason: error instanceof Error ? error.message : String(error) });
    });
  }

  /** Media should (re)start now: the watchdog expects inbound audio within the configured time. */
  expectMedia(event: MediaEventKind): void {
    this.watchdog = watchdogEvent(this.watchdog, event, performance.now());
  }

  /** Mute the agent on this leg; `viaTracks` false when a conference mixer does the muting. */
  setMuted(muted: boolean, viaTracks = true): boolean {
    if (!this.apply({ type: 'mute', muted })) return false;
    if (viaTracks) this.syncTracks();
    return true;
  }

  /**
   * Send DTMF digits: RFC 4733 telephone-events when negotiated (and wanted), else SIP INFO
   * (application/dtmf-relay), one request per digit as gateways expect.
   */
  async sendDtmf(digits: string, mode: 'rfc4733' | 'info'): Promise<'rfc4733' | 'info' | 'failed'> {
    if (!/^[0-9*#A-D]{1,32}$/.test(digits) || !this.established) return 'failed';
    const remoteSdp = (this.media?.peerConnection?.remoteDescription?.sdp ?? '').toLowerCase();
    if (mode === 'rfc4733' && remoteSdp.includes('telephone-event') && this.media?.sendDtmf(digits, { duration: DTMF_TONE_MS, interToneGap: DTMF_GAP_MS })) {
      updateCall(this.id, (c) => ({ dtmf: ((c.dtmf ?? '') + digits).slice(-32) }));
      return 'rfc4733';
    }
    for (const digit of digits) {
      try {
        await this.session.info({
          requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${digit}\r\nDuration=${DTMF_TONE_MS}` } },
        });
        updateCall(this.id, (c) => ({ dtmf: ((c.dtmf ?? '') + digit).slice(-32) }));
      } catch (error) {
        log.warn('DTMF INFO failed', { reason: error instanceof Error ? error.message : String(error) });
        return 'failed';
      }
    }
    return 'info';
  }

  /**
   * Sample levels, network quality and the media watchdog twice a second while the leg is up
   * (from the answer on: the watchdog expects the far end's audio from now).
   */
  startStats(): void {
    this.stopStats();
    this.watchdog = initialWatchdog();
    this.lastInbound = { received: 0, lost: 0 };
    this.expectMedia('answered');
    window.addEventListener('online', this.onOnline);
    this.media?.peerConnection?.addEventListener('signalingstatechange', this.onSignalingState);
    this.statsTimer = window.setInterval(() => void this.sampleStats(), 500);
  }

  stopStats(): void {
    if (this.statsTimer !== undefined) window.clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    window.removeEventListener('online', this.onOnline);
    this.media?.peerConnection?.removeEventListener('signalingstatechange', this.onSignalingState);
    this.noMedia = undefined;
    dropLineMetrics(this.id);
  }

  /** Whether the seat expects audio from the far end now: talking, and the far end's SDP sends. */
  private expectingAudio(pc: RTCPeerConnection): boolean {
    const kind = callById(this.id)?.state.kind;
    if (kind !== 'active' && kind !== 'holding') return false;
    const audio = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
    const dir = audio?.currentDirection;
    return !dir || dir === 'sendrecv' || dir === 'recvonly';
  }

  /** The watchdog's verdict changed: publish it (the metrics store), log and count a new warning. */
  private judgeMedia(reason: NoMediaReason | undefined): void {
    if (reason === this.noMedia) return;
    const was = this.noMedia;
    this.noMedia = reason;
    if (reason) {
      countDiagnostic('noMediaWarnings');
      log.warn('no audio from the far end', { reason, timeoutS: noMediaTimeoutMs() / 1000 });
    } else if (was) log.info('audio from the far end again', { was });
  }

  private async sampleStats(): Promise<void> {
    const pc = this.media?.peerConnection;
    if (!pc || pc.connectionState === 'closed') return;
    let farEnd = 0;
    let mic = 0;
    let received = 0;
    let lost = 0;
    let jitterMs = 0;
    let rttMs = 0;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        if (typeof r.audioLevel === 'number') farEnd = Math.max(farEnd, r.audioLevel);
        received += r.packetsReceived ?? 0;
        lost += Math.max(0, r.packetsLost ?? 0);
        jitterMs = Math.max(jitterMs, (r.jitter ?? 0) * 1000);
      }
      if (r.type === 'media-source' && r.kind === 'audio' && typeof r.audioLevel === 'number') mic = Math.max(mic, r.audioLevel);
      if (r.type === 'candidate-pair' && r.nominated && typeof r.currentRoundTripTime === 'number') rttMs = Math.max(rttMs, r.currentRoundTripTime * 1000);
      if (r.type === 'remote-inbound-rtp' && typeof r.roundTripTime === 'number') rttMs = Math.max(rttMs, r.roundTripTime * 1000);
    });
    const dReceived = received - this.lastInbound.received;
    const dLost = lost - this.lastInbound.lost;
    this.lastInbound = { received, lost };
    if (!callById(this.id) || this.statsTimer === undefined) return;
    const expecting = this.expectingAudio(pc);
    const { state, verdict } = watchdogSample(
      this.watchdog,
      { at: performance.now(), packetsReceived: received, iceState: pc.iceConnectionState, expecting },
      { timeoutMs: noMediaTimeoutMs(), iceGraceMs: Math.max(DEFAULT_ICE_GRACE_MS, noMediaTimeoutMs()) },
    );
    this.watchdog = state;
    this.judgeMedia(verdict.kind === 'noMedia' ? verdict.reason : undefined);
    const loss = dReceived + dLost > 0 ? dLost / (dReceived + dLost) : 0;
    // Nothing received over the window while audio is expected: 'noMedia', never 'good'. While
    // on hold nothing is expected, and no grade is shown.
    const quality: CallQuality | undefined = expecting
      ? { loss, jitterMs: Math.round(jitterMs), rttMs: Math.round(rttMs), grade: gradeWindow({ received: dReceived, loss, jitterMs, rttMs }) }
      : undefined;
    setLineMetrics(this.id, { farEndLevel: farEnd, quality, ...(this.noMedia ? { noMedia: this.noMedia } : {}) });
    if (useCallStore.getState().focusedId === this.id) setMicLevel(mic);
  }

  /** Release media: stop sampling and silence the audio element. */
  dispose(): void {
    this.stopStats();
    if (this.remoteAudio) returnAudioElement(this.remoteAudio);
    this.remoteAudio = undefined;
    this.micTrack = undefined;
  }
}
