/**
 * A bare SIP.js user agent for the other parties of a call (a caller from the public, a
 * sub-center seat). Bundled for the browser and run in its own Chromium, it registers, calls,
 * answers, hangs up and reports what it hears: inbound audio level from getStats, which tones
 * (by frequency, Web Audio FFT) and which DTMF digits — in-band as the jitter buffer plays
 * RFC 4733 events out, or as SIP INFO. Like a desk phone it follows a REFER (transfer) and lets
 * an INVITE with Replaces take over its call.
 */
import { Invitation, Inviter, Registerer, SessionState, SIPExtension, UserAgent, type Session } from 'sip.js';

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

const DTMF_ROWS = [697, 770, 852, 941];
const DTMF_COLS = [1209, 1336, 1477, 1633];
const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'];

function createPeer(cfg: PeerConfig) {
  let session: Session | undefined;
  const sessions: Session[] = [];
  let incoming: Invitation | undefined;
  const infoDigits: string[] = [];
  const referNotifies: string[] = [];
  /** When set, a REFER to this party is refused with this code instead of followed. */
  let refuseReferWith: number | undefined;
  let audioDigits = '';
  const remoteAudio = new Audio();
  remoteAudio.autoplay = true;
  let analyser: AnalyserNode | undefined;
  let analysedStream: MediaStream | undefined;
  const ctx = new AudioContext();

  /** Feed what this party hears into an analyser (rebuilt when the call changes). */
  function analyse(stream: MediaStream) {
    if (analysedStream === stream) return;
    analysedStream = stream;
    const src = ctx.createMediaStreamSource(stream);
    analyser = ctx.createAnalyser();
    analyser.fftSize = 4096;
    analyser.smoothingTimeConstant = 0;
    src.connect(analyser);
    void ctx.resume();
  }

  /** Level in dB of the strongest bin within ±15 Hz of each frequency. */
  function levels(freqs: number[]): number[] {
    if (!analyser) return freqs.map(() => -200);
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    const hz = ctx.sampleRate / analyser.fftSize;
    return freqs.map((f) => {
      let best = -200;
      for (let i = Math.floor((f - 15) / hz); i <= Math.ceil((f + 15) / hz); i++) best = Math.max(best, bins[i] ?? -200);
      return best;
    });
  }

  // DTMF by ear: a row and a column tone both well above the other DTMF frequencies.
  let lastKey = '';
  window.setInterval(() => {
    if (!analyser) return;
    const rows = levels(DTMF_ROWS);
    const cols = levels(DTMF_COLS);
    const r = rows.indexOf(Math.max(...rows));
    const c = cols.indexOf(Math.max(...cols));
    const secondRow = Math.max(...rows.filter((_, i) => i !== r));
    const secondCol = Math.max(...cols.filter((_, i) => i !== c));
    const key = rows[r]! > -45 && cols[c]! > -45 && rows[r]! - secondRow > 12 && cols[c]! - secondCol > 12 ? DTMF_KEYS[r]![c]! : '';
    if (key && key !== lastKey) audioDigits += key;
    lastKey = key;
  }, 15);

  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${cfg.user}@${cfg.domain}`)!,
    displayName: cfg.displayName,
    authorizationUsername: cfg.user,
    authorizationPassword: cfg.password,
    transportOptions: { server: cfg.wsUrl },
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 200 },
    sipExtensionReplaces: SIPExtension.Supported,
    logBuiltinEnabled: false,
    delegate: {
      onInvite: (inv) => {
        const replacee = inv.replacee;
        track(inv);
        if (replacee) {
          // Attended transfer: the transferred caller takes over the consultation call.
          void inv.accept(constraints).then(() => replacee.bye().catch(() => undefined));
          return;
        }
        incoming = inv;
      },
    },
  });
  const registerer = new Registerer(ua);

  function track(s: Session) {
    session = s;
    sessions.push(s);
    s.delegate = {
      onInfo: (info) => {
        const m = /Signal=\s*([0-9*#A-D])/i.exec(info.request.body ?? '');
        if (m) infoDigits.push(m[1]!);
        void info.accept();
      },
      onRefer: (referral) => {
        if (refuseReferWith) {
          void referral.reject({ statusCode: refuseReferWith });
          return;
        }
        // Transfer: follow the REFER with a new call (Replaces included when attended).
        void referral.accept().then(() => {
          // A fresh options object: SIP.js's makeInviter writes its Replaces and Referred-By into
          // the one it is given (a shared one would carry them into the next transfer's INVITE).
          const next = referral.makeInviter({ ...constraints });
          track(next);
          void next.invite();
        });
      },
    };
    s.stateChange.addListener((st) => {
      if (st === SessionState.Established) {
        const pc = (s.sessionDescriptionHandler as unknown as { peerConnection: RTCPeerConnection }).peerConnection;
        const stream = new MediaStream();
        pc.getReceivers().forEach((r) => r.track && stream.addTrack(r.track));
        remoteAudio.srcObject = stream;
        void remoteAudio.play().catch(() => undefined);
        analyse(stream);
      }
    });
  }

  /** Senders of the current call's audio (to stop or restore what this party sends). */
  const pcOf = (x: Session | undefined) => x && (x.sessionDescriptionHandler as unknown as { peerConnection?: RTCPeerConnection })?.peerConnection;
  const stoppedTracks = new Map<RTCRtpSender, MediaStreamTrack>();

  // "No media" mode: every audio track this party adds is taken off its sender at once, so the
  // call is answered normally but not one RTP packet leaves (a relay that sends nothing).
  let sendNoMedia = false;
  const addTrack = RTCPeerConnection.prototype.addTrack;
  RTCPeerConnection.prototype.addTrack = function (this: RTCPeerConnection, track: MediaStreamTrack, ...streams: MediaStream[]) {
    const sender = addTrack.call(this, track, ...streams);
    if (sendNoMedia && track.kind === 'audio') {
      stoppedTracks.set(sender, track);
      void sender.replaceTrack(null);
    }
    return sender;
  };

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
    /** Refuse the ringing call with this final response (486 Busy Here, 603 Decline …). */
    async reject(code: number) {
      await incoming!.reject({ statusCode: code });
    },
    async hangup() {
      if (!session) return;
      if (session.state === SessionState.Established) await session.bye();
      else if (session instanceof Inviter) await session.cancel();
      else if (session instanceof Invitation) await session.reject();
    },
    state: () => session?.state ?? 'none',
    /** From now on, calls this party answers or makes send no audio at all (no RTP). */
    setSendNoMedia(on: boolean) {
      sendNoMedia = on;
    },
    /** Stop sending audio on the current call (no RTP from now on): media that stops mid-call. */
    async stopMedia() {
      for (const sender of pcOf(session)?.getSenders() ?? []) {
        if (sender.track?.kind !== 'audio') continue;
        stoppedTracks.set(sender, sender.track);
        await sender.replaceTrack(null);
      }
    },
    /** Send the audio stopped by stopMedia / setSendNoMedia again. */
    async resumeMedia() {
      for (const [sender, track] of stoppedTracks) await sender.replaceTrack(track).catch(() => undefined);
      stoppedTracks.clear();
    },
    /** Inbound audio RTP packets received on the current call so far (getStats). */
    async packetsReceived(): Promise<number> {
      const pc = pcOf(session);
      if (!pc) return 0;
      let n = 0;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') n += r.packetsReceived ?? 0;
      });
      return n;
    },
    /** The current call's peer connection states (connection, ICE, signaling). */
    mediaState: () => {
      const pc = pcOf(session);
      return pc ? `${pc.connectionState}/${pc.iceConnectionState}/${pc.signalingState}` : 'none';
    },
    /** Outbound audio RTP packets sent on the current call so far (getStats). */
    async packetsSent(): Promise<number> {
      const pc = pcOf(session);
      if (!pc) return 0;
      let n = 0;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'outbound-rtp' && r.kind === 'audio') n += r.packetsSent ?? 0;
      });
      return n;
    },
    /**
     * Refuse every re-INVITE on the current call (hold, resume, refresh) with `code`, e.g. 488,
     * after `delayMs`; code 0 accepts them again.
     */
    rejectReinvites(code: number, delayMs = 0) {
      const s = session as unknown as
        | { onInviteRequest?: (request: { reject(options: { statusCode: number }): unknown }) => void; dialog?: { signalingStateRollback(): void } }
        | undefined;
      if (!s) throw new Error('no call');
      if (code === 0) delete s.onInviteRequest;
      else
        s.onInviteRequest = (request) =>
          void setTimeout(() => {
            // As SIP.js does when it refuses an offer: the dialog forgets the offer it was sent.
            s.dialog?.signalingStateRollback();
            request.reject({ statusCode: code });
          }, delayMs);
    },
    /**
     * Attended transfer as another seat's phone does it: the earlier established call is REFERred
     * to the far end of the latest one, with Replaces naming the latest call's dialog.
     */
    async attendedTransfer() {
      const [first, latest] = sessions.filter((x) => x.state === SessionState.Established).slice(-2);
      const dialog = latest?.dialog;
      if (!first || !latest || !dialog) throw new Error('needs two established calls');
      const replaces = encodeURIComponent(`${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`);
      await first._refer(
        (n) => {
          void n.accept();
          if (/^SIP\/2\.0 2\d\d/.test(n.request.body ?? '')) void first.bye().catch(() => undefined);
        },
        undefined,
        { extraHeaders: [`Refer-To: <sip:${latest.remoteIdentity.uri.user}@${cfg.domain}?Replaces=${replaces}>`] },
      );
    },
    /**
     * Blind transfer as a desk phone following RFC 5589 does it: REFER the current call to
     * `target`, keep it while the NOTIFY sipfrags report progress, hang up only on a 2xx.
     * The sipfrags' status lines are kept for the test (referNotifies).
     */
    async blindTransfer(target: string) {
      const current = session;
      if (!current || current.state !== SessionState.Established) throw new Error('needs an established call');
      referNotifies.length = 0;
      await current.refer(UserAgent.makeURI(`sip:${target}@${cfg.domain}`)!, {
        onNotify: (n) => {
          void n.accept();
          const line = (n.request.body ?? '').split(/\r?\n/)[0] ?? '';
          referNotifies.push(`${line} | ${n.request.getHeader('Subscription-State') ?? ''}`);
          if (/^SIP\/2\.0 2\d\d/.test(line)) void current.bye().catch(() => undefined);
        },
      });
    },
    /** Refuse REFERs with `code` (e.g. 603) from now on; undefined follows them again. */
    refuseRefers(code: number | undefined) {
      refuseReferWith = code;
    },
    /** The NOTIFYs received for the last blindTransfer: "sipfrag status line | Subscription-State". */
    referNotifies: () => [...referNotifies],
    /** The current call's far end (user part), e.g. to see whom a transfer connected us to. */
    remote: () => session?.remoteIdentity.uri.user ?? '',
    /** DTMF digits received: heard in the audio (RFC 4733 played out) and as SIP INFO. */
    dtmf: () => ({ audio: audioDigits, info: infoDigits.join('') }),
    /** dB level at each frequency in what this party hears now. */
    tones: (freqs: number[]) => levels(freqs),
    /** A call is ringing here now (offered, not yet answered or gone). */
    hasIncoming: () => incoming?.state === SessionState.Initial,
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
    /** The codec of the audio this party receives on the current call (e.g. 'audio/PCMA'), from getStats. */
    async inboundCodec(): Promise<string> {
      const pc = session && (session.sessionDescriptionHandler as unknown as { peerConnection?: RTCPeerConnection })?.peerConnection;
      if (!pc) return '';
      const stats = await pc.getStats();
      let codecId: string | undefined;
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio' && (r.packetsReceived ?? 0) > 0) codecId = r.codecId;
      });
      return (codecId && (stats.get(codecId) as { mimeType?: string } | undefined)?.mimeType) || '';
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
