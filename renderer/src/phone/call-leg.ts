/**
 * One call leg: a SIP.js session with its media (remote audio element on the headset, sender
 * track, getStats sampling) and its plain state in the call store. Only the SIP service creates
 * legs; SIP.js objects never leave the softphone folder.
 */
import type { Invitation, Inviter } from 'sip.js';
import { sipLib } from './sip-lib';
import { transition, type CallEvent } from '../../../shared/phone/call-machine';
import { updateCall, callById, useCallStore, type CallQuality } from './call-store';
import { dropLineMetrics, setLineMetrics, setMicLevel } from './call-metrics-store';
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
  }

  /** Enable the sender and receiver for the current hold/mute state. */
  syncTracks(): void {
    const call = callById(this.id);
    if (!call || !this.media) return;
    const held = call.state.kind === 'held';
    const muted = 'muted' in call.state && call.state.muted;
    this.media.enableReceiverTracks(!held);
    this.media.enableSenderTracks(!held && !muted);
  }

  /** Put on hold (re-INVITE offering sendonly) or take off hold; false when the far end refused. */
  async setHold(hold: boolean): Promise<boolean> {
    const s = this.session;
    if (!this.established || !this.apply(hold ? { type: 'hold' } : { type: 'resume' })) return false;
    // The web SDH reads `hold` from the re-INVITE options and offers sendonly / sendrecv.
    (s as unknown as { sessionDescriptionHandlerOptionsReInvite: Record<string, unknown> }).sessionDescriptionHandlerOptionsReInvite = {
      ...(s.sessionDescriptionHandlerOptionsReInvite as Record<string, unknown>),
      hold,
    };
    const undo = () => {
      this.apply(hold ? { type: 'resume' } : { type: 'hold' });
      this.syncTracks();
    };
    return new Promise<boolean>((resolve) => {
      s.invite({
        requestDelegate: {
          onAccept: () => {
            this.syncTracks();
            resolve(true);
          },
          onReject: () => {
            log.warn('hold/resume refused by the far end');
            undo();
            resolve(false);
          },
        },
      }).catch((error: unknown) => {
        log.warn('hold/resume failed', { reason: error instanceof Error ? error.message : String(error) });
        undo();
        resolve(false);
      });
    });
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

  /** Sample levels and network quality twice a second while the leg is up. */
  startStats(): void {
    this.stopStats();
    this.statsTimer = window.setInterval(() => void this.sampleStats(), 500);
  }

  stopStats(): void {
    if (this.statsTimer !== undefined) window.clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    dropLineMetrics(this.id);
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
    const loss = dReceived + dLost > 0 ? dLost / (dReceived + dLost) : 0;
    const quality: CallQuality = { loss, jitterMs: Math.round(jitterMs), rttMs: Math.round(rttMs), grade: gradeQuality(loss, jitterMs, rttMs) };
    if (!callById(this.id) || this.statsTimer === undefined) return;
    setLineMetrics(this.id, { farEndLevel: farEnd, quality });
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
