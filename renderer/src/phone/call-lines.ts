/**
 * The agent's calls: up to three lines at once (a waiting second call, a consultation call, a
 * three-way conference). Each line is a CallLeg with its own state machine; this class decides
 * what a SIP event or an agent action means across lines:
 *
 *   - an INVITE is refused busy (486) while the agent is not ready, rings when idle, waits when on
 *     a call (call waiting) and is taken over at once when it replaces one of our dialogs
 *     (attended transfer to this seat, RFC 3891);
 *   - answering a waiting call holds the others first;
 *   - transfers follow RFC 5589 / RFC 3515 (transfer-machine.ts): blind = caller on hold, REFER;
 *     attended = consult call, then REFER with Replaces to the caller. The seat keeps its legs
 *     until a NOTIFY sipfrag says the target answered (2xx); a refused REFER, a 4xx-6xx, an ended
 *     subscription or the transfer timeout give the caller back to the agent. As the transferee
 *     (a REFER to this seat) it places the new call and NOTIFYs its progress to the referrer;
 *   - conference = both legs resumed and mixed locally (ConferenceMixer); dropping a party
 *     returns the other to a plain call; the agent leaving hands the two over to each other;
 *   - media first: a ringing call is painted before the ringer starts; its offer is applied while
 *     it rings (prepared-offer.ts), so the answer only makes the answer; an answer's 200 OK leaves
 *     before the screen changes, and an established call is shown as talking once its first
 *     audio packet arrives (at most MEDIA_FIRST_MS later).
 */
import type { Core, Invitation, Inviter, Notification, Referral, Session, UserAgent } from 'sip.js';
import { sipLib } from './sip-lib';
import type { Settings } from '../../../shared/settings/schema';
import { dialing, incoming, isLive, type CallEvent } from '../../../shared/phone/call-machine';
import { classifyPhone, normalizePhone } from '../../../shared/base/phone-number';
import { cleanDisplayName, cleanNumber } from '../../../shared/phone/remote-identity';
import { idleTransfer, isTransferFinal, transferTransition, type TransferEvent, type TransferState } from '../../../shared/phone/transfer-machine';
import { parseSipfrag, parseSubscriptionState, sipfragFor } from '../../../shared/phone/sipfrag';
import { maskPhone } from '../../../shared/base/redact';
import { readTicketHeader, referTargetWithTicket, ticketHeaderLine, TICKET_HEADER } from '../../../shared/transfers/ticket-header';
import { addCall, callById, focusedCall, liveCalls, retireCall, transferStatusOf, updateCall, useCallStore, type CallView } from './call-store';
import { enterAfterCallWork, enterOnCall, useAgentStore } from '../agent/agent-store';
import { setMicLevel } from './call-metrics-store';
import { bridge } from '../ipc/bridge';
import { createRendererLogger } from '../logging/logger';
import { i18n } from '../i18n';
import { CallLeg } from './call-leg';
import { prepareOffer } from './prepared-offer';
import { ConferenceMixer } from './conference-mixer';
import { Ringer } from './audio/ringer';
import { ringGate } from './ring-gate';
import { WarmMicrophone } from './audio/microphone';
import { audioDevices } from './audio/audio-devices';

const log = createRendererLogger('sip');

type IncomingResponse = Core.IncomingResponse;

/** Lines a seat handles at once: two parties and one waiting call. */
export const MAX_LINES = 3;

export type DialResult = 'ok' | 'invalidNumber' | 'busy' | 'notRegistered';

/**
 * Where a transfer goes and what travels with it: the directory's SIP address for the number (else
 * number@domain of the line), and the order's ticket (X-Ticket-Id on the target's INVITE).
 */
export interface TransferTo {
  uri?: string;
  ticketId?: string;
}
export type TransferResult = 'ok' | 'invalidNumber' | 'notPossible' | 'failed';

export interface CallLinesHost {
  /** The user agent while registered, and the SIP domain. */
  ua(): { ua: UserAgent; domain: string } | undefined;
  registered(): boolean;
}

type CallListener = (call: CallView, phase: 'started' | 'ended') => void;

/** Run `fn` once the next frame is painted (at once, in a task, when the window is hidden: no frames then). */
function afterPaint(fn: () => void): void {
  if (document.hidden) window.setTimeout(fn, 0);
  else requestAnimationFrame(() => window.setTimeout(fn, 0));
}

/** The longest an established call waits for its first audio packet before it is shown as talking. */
const MEDIA_FIRST_MS = 150;

export class CallLines {
  private readonly legs = new Map<string, CallLeg>();
  /** Established calls not yet shown as talking (media first, see onEstablished), with their publish. */
  private readonly unpublished = new Map<string, () => void>();
  /** Calls whose answer (200 OK) is on its way: the UI still shows them ringing. */
  private readonly answering = new Map<string, Promise<void>>();
  /** Transfers under way, by the caller's leg: feeds their machine (the leg ending is an event too). */
  private readonly transfers = new Map<string, (event: TransferEvent) => void>();
  private calls: Settings['calls'] = { autoAnswer: false, autoAnswerAfterS: 2, callWaiting: true, dtmfMode: 'rfc4733', wrapUpS: 30, wrapUpExtendS: 30, transferTimeoutS: 30, noMediaWarningS: 2 };
  private audio: Settings['audio'] = { microphoneId: '', headsetOutputId: '', ringerOutputId: '', ringerVolume: 0.6 };
  private processing = true;
  readonly microphone = new WarmMicrophone();
  private readonly ringer = new Ringer();
  private mixer: ConferenceMixer | undefined;
  private answeredSinceIdle = false;
  private autoAnswerTimer: number | undefined;
  private readonly listeners = new Set<CallListener>();
  /** Consultations of a three-way introduction: joined into the conference as soon as answered. */
  private readonly conferenceOnAnswer = new WeakSet<Session>();
  /** The address each outbound call was dialled at. */
  private readonly dialledUris = new WeakMap<Session, string>();

  constructor(private readonly host: CallLinesHost) {
    audioDevices.subscribe(() => void this.rerouteAudio());
  }

  configure(calls: Settings['calls'], audio: Settings['audio'], audioProcessing: boolean): void {
    this.calls = calls;
    const micChanged = audio.microphoneId !== this.audio.microphoneId || audioProcessing !== this.processing;
    this.audio = audio;
    this.processing = audioProcessing;
    audioDevices.configure(audio);
    if (micChanged && this.host.registered()) void this.warmUp();
  }

  /** Constraints for the headset microphone (device, processing). */
  micConstraints(): MediaTrackConstraints {
    const p = this.processing;
    const id = audioDevices.effective('microphone');
    return { echoCancellation: p, noiseSuppression: p, autoGainControl: p, ...(id ? { deviceId: { exact: id } } : {}) };
  }

  /** The media options of an answer (the same while ringing, when the offer is applied early, and at the answer). */
  private answerOptions(): { constraints: MediaStreamConstraints } {
    return { constraints: { audio: this.micConstraints(), video: false } };
  }

  /** Acquire the microphone ahead of calls (called once registered). */
  async warmUp(): Promise<void> {
    await this.microphone.configure(this.micConstraints());
    // Device ids and labels are only listed once the microphone has been granted.
    await audioDevices.refresh(false);
  }

  /** A call started or ended (the call log listens). */
  onCall(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(call: CallView | undefined, phase: 'started' | 'ended'): void {
    if (!call) return;
    for (const l of this.listeners) {
      try {
        l(call, phase);
      } catch (error) {
        log.warn('call listener failed', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private legOf(session: Session | undefined): CallLeg | undefined {
    return session ? [...this.legs.values()].find((l) => l.session === session) : undefined;
  }

  private focusedLeg(): CallLeg | undefined {
    const id = useCallStore.getState().focusedId;
    return id ? this.legs.get(id) : undefined;
  }

  // ---- inbound ------------------------------------------------------------------------------

  onInvite(invitation: Invitation): void {
    const replaced = this.legOf(invitation.replacee);
    if (replaced) {
      void this.takeOver(invitation, replaced);
      return;
    }
    const live = liveCalls(useCallStore.getState());
    const agent = useAgentStore.getState().status.state;
    const waiting = live.length > 0;
    const refuse = waiting
      ? !this.calls.callWaiting || agent !== 'onCall' || live.length >= MAX_LINES || live.some((c) => c.state.kind === 'ringing') || !!this.mixer
      : agent !== 'ready';
    if (refuse) {
      // Not ready, or no room for another line: busy, so the queue offers the call elsewhere.
      void invitation.reject({ statusCode: 486 }).catch(() => undefined);
      log.info('call refused', { reason: waiting ? 'no free line' : 'agent not ready' });
      return;
    }
    const leg = this.track(invitation);
    // The number the caller dialled: the gateway's X-Dialled-Number, else the request URI's user
    // only when it is a phone or service number (for a WebRTC contact it is a random token).
    const ruriUser = cleanNumber(invitation.request.ruri?.user);
    const dialled = invitation.request.getHeader('X-Dialled-Number') ?? (classifyPhone(ruriUser) ? ruriUser : undefined);
    // A transferred call names its order (read as a claim: the platform decides what this seat sees).
    const ticket = readTicketHeader(invitation.request.getHeaders(TICKET_HEADER));
    addCall(
      {
        id: leg.id,
        remoteName: cleanDisplayName(invitation.remoteIdentity.displayName),
        remoteNumber: cleanNumber(invitation.remoteIdentity.uri.user),
        dialled: dialled ? cleanNumber(dialled) : undefined,
        state: incoming(Date.now()),
        ...(ticket.kind !== 'none' ? { ticket } : {}),
      },
      !waiting,
    );
    this.emit(callById(leg.id), 'started');
    // The ring, the notification and the window come right after the ringing call and its screen
    // pop are on screen (ring-gate.ts): then the audio device, the IPC and the answer's work start.
    afterPaint(() => void ringGate(leg.id).then(() => this.ringing(leg.id, invitation, waiting)));
  }

  /** The ringing call is on screen: ring, tell the agent, prepare the answer. */
  private ringing(id: string, invitation: Invitation, waiting: boolean): void {
    if (callById(id)?.state.kind !== 'ringing') return;
    if (waiting) void this.ringer.beep(audioDevices.effective('headset'), this.audio.ringerVolume);
    else this.ringer.start(audioDevices.effective('ringer'), this.audio.ringerVolume);
    this.announce(id, waiting);
    if (!waiting && this.calls.autoAnswer) this.armAutoAnswer(id);
    // 180 Ringing: the caller hears ringback, and the call distribution's ring time starts (Kamailio
    // takes an offer back after ring_s only once it rang; without it the offer fails after 5 s
    // while this phone would go on ringing).
    if (invitation.state === sipLib().SessionState.Initial) void invitation.progress().catch(() => undefined);
    // The answer's longest step is done while the agent reads the screen pop (prepared-offer.ts).
    if (invitation.state === sipLib().SessionState.Initial && !this.answering.has(id)) prepareOffer(invitation, this.answerOptions());
  }

  /** Tell the agent about a ringing call even when the window is hidden or minimised. */
  private announce(id: string, waiting: boolean): void {
    const call = callById(id);
    if (!call) return;
    if (document.hidden || !document.hasFocus()) {
      void bridge().shell.notify({
        title: i18n.t(waiting ? 'call.waitingNotice' : 'call.incomingNotice'),
        // No personal data in the OS notification centre: the masked number only.
        body: `${maskPhone(call.remoteNumber)}${call.dialled ? ` → ${call.dialled}` : ''}`,
        focusOnClick: true,
        urgency: 'critical',
      });
    }
    void bridge().shell.focusWindow();
  }

  private armAutoAnswer(id: string): void {
    let left = this.calls.autoAnswerAfterS;
    updateCall(id, { autoAnswerIn: left });
    const tick = () => {
      const call = callById(id);
      if (!call || call.state.kind !== 'ringing') return;
      if (left <= 0) {
        this.autoAnswerTimer = undefined;
        updateCall(id, { autoAnswerIn: undefined });
        void this.ringer.beep(audioDevices.effective('headset'), this.audio.ringerVolume).then(() => this.answer(id));
        return;
      }
      updateCall(id, { autoAnswerIn: left });
      left -= 1;
      this.autoAnswerTimer = window.setTimeout(tick, 1000);
    };
    tick();
  }

  /** An INVITE with Replaces for one of our dialogs: the transferred caller takes that line over. */
  private async takeOver(invitation: Invitation, replaced: CallLeg): Promise<void> {
    const leg = this.track(invitation);
    const before = callById(replaced.id);
    addCall(
      {
        id: leg.id,
        remoteName: cleanDisplayName(invitation.remoteIdentity.displayName),
        remoteNumber: cleanNumber(invitation.remoteIdentity.uri.user),
        dialled: before?.dialled,
        state: { kind: 'connecting', direction: 'inbound', since: Date.now() },
        // The caller replaces the consultation that brought their order: the context stays.
        ...(before?.ticket ? { ticket: before.ticket } : {}),
      },
      true,
    );
    this.emit(callById(leg.id), 'started');
    try {
      await invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: this.micConstraints(), video: false } } });
      replaced.apply({ type: 'transferred' });
      await replaced.session.bye().catch(() => undefined);
    } catch (error) {
      log.warn('replacing call failed', { reason: error instanceof Error ? error.message : String(error) });
      leg.apply({ type: 'failed' });
    }
  }

  private track(session: Inviter | Invitation): CallLeg {
    const leg = new CallLeg(session, () => audioDevices.effective('headset'));
    this.legs.set(leg.id, leg);
    // A REFER to this seat is followed here (SIP.js would place an untracked call on its own).
    session.delegate = { ...session.delegate, onRefer: (referral) => this.onRefer(leg, referral) };
    session.stateChange.addListener((state) => {
      if (state === sipLib().SessionState.Established) this.onEstablished(leg);
      if (state === sipLib().SessionState.Terminated) this.onTerminated(leg);
    });
    return leg;
  }

  // ---- outbound -----------------------------------------------------------------------------

  /** Call a number (mobile, landline with area code, or a short/service number). */
  async dial(number: string, opts: { consult?: boolean; conferenceOnAnswer?: boolean } & TransferTo = {}): Promise<DialResult> {
    const target = normalizePhone(number);
    if (!classifyPhone(target)) return 'invalidNumber';
    const live = liveCalls(useCallStore.getState());
    if (opts.consult ? live.length >= MAX_LINES - 1 : live.length > 0) return 'busy';
    const line = this.host.ua();
    const uri = line ? sipLib().UserAgent.makeURI(opts.uri ?? `sip:${target}@${line.domain}`) : undefined;
    if (!line || !uri || !this.host.registered()) return 'notRegistered';
    const inviter = new (sipLib().Inviter)(line.ua, uri, {
      earlyMedia: true,
      sessionDescriptionHandlerOptions: { constraints: { audio: this.micConstraints(), video: false } },
      ...(opts.ticketId ? { extraHeaders: [ticketHeaderLine(opts.ticketId)] } : {}),
    });
    if (opts.conferenceOnAnswer) this.conferenceOnAnswer.add(inviter);
    // The address dialled (a directory entry's may differ from number@domain): a hand-over names it.
    this.dialledUris.set(inviter, uri.toString());
    useCallStore.setState({ lastDialled: target });
    await this.placeCall(inviter, target, opts);
    return 'ok';
  }

  /** Put an outbound call on a line and send its INVITE; `onResponse` hears every response (a referred call's NOTIFYs). */
  private async placeCall(inviter: Inviter, target: string, opts: { consult?: boolean; onResponse?: (code: number, reason: string) => void }): Promise<void> {
    const leg = this.track(inviter);
    addCall({ id: leg.id, remoteName: '', remoteNumber: target, state: dialing(Date.now()), ...(opts.consult ? { consult: true } : {}) }, true);
    this.emit(callById(leg.id), 'started');
    const heard = (response: IncomingResponse) => opts.onResponse?.(response.message.statusCode ?? 500, response.message.reasonPhrase ?? '');
    await inviter
      .invite({
        requestDelegate: {
          onAccept: heard,
          onProgress: (response) => {
            if (response.message.statusCode !== 100) heard(response);
            if (response.message.statusCode === 183 && response.message.body) {
              leg.apply({ type: 'progress', early: true });
              // Early media: the far end's announcements and ringback are heard before the answer.
              leg.attachRemoteAudio();
            } else if (response.message.statusCode === 180 || response.message.statusCode === 183) {
              leg.apply({ type: 'progress', early: true });
            }
          },
          onReject: (response) => {
            heard(response);
            leg.apply({ type: 'failed', sipCode: response.message.statusCode });
          },
        },
      })
      .catch((error: unknown) => {
        log.warn('dial failed', { reason: error instanceof Error ? error.message : String(error) });
        opts.onResponse?.(503, 'Service Unavailable');
        leg.apply({ type: 'failed' });
      });
  }

  redial(): Promise<DialResult> {
    const last = useCallStore.getState().lastDialled;
    return last ? this.dial(last) : Promise.resolve('invalidNumber');
  }

  // ---- agent actions --------------------------------------------------------------------------

  /**
   * Answer the ringing call (a waiting call puts the others on hold first). The 200 OK goes out
   * before the screen changes: the call shows as answered once the SIP stack has sent it (a few
   * milliseconds later), so that drawing never delays the caller's audio.
   */
  async answer(id?: string): Promise<void> {
    const call = id ? callById(id) : useCallStore.getState().calls.find((c) => c.state.kind === 'ringing');
    const leg = call && this.legs.get(call.id);
    // Only an offer not yet answered: the screen still shows a call as ringing while its 200 OK
    // is on its way and until its first audio packet (media first).
    const unanswered = (l: CallLeg) => l.session.state === sipLib().SessionState.Initial && !this.answering.has(l.id) && !this.unpublished.has(l.id);
    if (!leg || !(leg.session instanceof sipLib().Invitation) || call.state.kind !== 'ringing' || this.mixer || !unanswered(leg)) return;
    if (this.autoAnswerTimer !== undefined) window.clearTimeout(this.autoAnswerTimer);
    this.autoAnswerTimer = undefined;
    for (const other of this.legs.values()) {
      if (other !== leg && callById(other.id)?.state.kind === 'active') await other.setHold(true);
    }
    if (callById(leg.id)?.state.kind !== 'ringing' || !unanswered(leg)) return;
    const accepted = leg.session
      .accept({ sessionDescriptionHandlerOptions: this.answerOptions() })
      .catch((error: unknown) => {
        log.warn('answer failed', { reason: error instanceof Error ? error.message : String(error) });
        leg.apply({ type: 'failed' });
      })
      .finally(() => this.answering.delete(leg.id));
    this.answering.set(leg.id, accepted);
    this.ringer.stop();
    await accepted;
  }

  /** Hang up the focused line (or `id`); a ringing call is rejected with 603 Decline. */
  async hangup(id?: string): Promise<void> {
    const leg = id ? this.legs.get(id) : this.focusedLeg();
    const call = leg && callById(leg.id);
    if (!leg || !call || !isLive(call.state)) return;
    const unpublished = this.unpublished.get(leg.id);
    if (unpublished) {
      // Up but not yet shown as talking: show it, then hang up as a talking call.
      unpublished();
      return this.hangup(leg.id);
    }
    const answering = this.answering.get(leg.id);
    if (answering) {
      // Hung up while the answer is on its way: end the call once it is up.
      await answering;
      return this.hangup(leg.id);
    }
    const s = leg.session;
    if (call.state.kind === 'ringing' && s instanceof sipLib().Invitation) {
      leg.apply({ type: 'reject' });
      await s.reject({ statusCode: 603 }).catch(() => undefined);
    } else if (s.state === sipLib().SessionState.Established) {
      leg.apply({ type: 'hangup' });
      await s.bye().catch(() => undefined);
    } else if (s instanceof sipLib().Inviter) {
      leg.apply({ type: 'hangup' });
      await s.cancel().catch(() => undefined);
    } else if (s instanceof sipLib().Invitation) {
      // Answered but not yet confirmed: end it as soon as SIP.js allows.
      leg.apply({ type: 'hangup' });
      await s.dispose().catch(() => undefined);
    }
  }

  async setHold(hold: boolean, id?: string): Promise<void> {
    if (this.mixer) return; // in a conference the agent drops a party instead
    const leg = id ? this.legs.get(id) : this.focusedLeg();
    await leg?.setHold(hold);
  }

  /** Get the far end's audio back after the no-media warning: re-INVITE with an ICE restart. */
  retryMedia(id: string): Promise<boolean> {
    return this.legs.get(id)?.retryMedia() ?? Promise.resolve(false);
  }

  /** Mute the agent (in a conference, the two parties keep hearing each other). */
  setMuted(muted: boolean): void {
    if (this.mixer) {
      this.mixer.setMicMuted(muted);
      for (const c of liveCalls(useCallStore.getState())) if (c.conference) this.legs.get(c.id)?.setMuted(muted, false);
      return;
    }
    this.focusedLeg()?.setMuted(muted);
  }

  async sendDtmf(digits: string): Promise<'rfc4733' | 'info' | 'failed'> {
    const leg = this.focusedLeg();
    return leg ? leg.sendDtmf(digits, this.calls.dtmfMode) : 'failed';
  }

  focus(id: string): void {
    if (this.legs.has(id)) useCallStore.setState({ focusedId: id });
  }

  /** How long a transfer may take before the caller is back with the agent (settings). */
  transferTimeoutS(): number {
    return this.calls.transferTimeoutS;
  }

  // ---- transfers and conference ---------------------------------------------------------------

  /**
   * Blind transfer of the focused call (RFC 5589 §6): the caller is put on hold, then REFERred to
   * the target. The seat keeps the call until the transferee's NOTIFYs say the target answered
   * (2xx sipfrag) and only then hangs up; on a refused REFER, a failed call to the target
   * (4xx-6xx), an ended subscription or no answer within the transfer timeout, the caller is taken
   * off hold and is back with the agent. Resolves once the REFER is on its way ('ok'): the outcome
   * follows in the call's `transfer` view.
   */
  async blindTransfer(number: string, to: TransferTo = {}): Promise<TransferResult> {
    const target = normalizePhone(number);
    if (!classifyPhone(target)) return 'invalidNumber';
    const leg = this.focusedLeg();
    const call = leg && callById(leg.id);
    const line = this.host.ua();
    const uri = line ? sipLib().UserAgent.makeURI(to.uri ?? `sip:${target}@${line.domain}`) : undefined;
    if (!line || !leg || !call || !leg.established || !uri || this.mixer || call.consult || this.transfers.has(leg.id)) return 'notPossible';
    if (call.state.kind !== 'active' && call.state.kind !== 'held') return 'notPossible';
    // The caller waits on hold (re-INVITE sendonly) while the target is called.
    if (call.state.kind === 'active' && !(await leg.setHold(true))) return 'notPossible';
    // The ticket rides in the Refer-To as a URI header (the transferee copies it onto its INVITE);
    // such a URI needs the angle brackets SIP.js's refer(uri) leaves out, so the REFER is built here.
    const referTo = to.ticketId ? referTargetWithTicket(uri.toString(), to.ticketId) : uri.toString();
    const headers = [`Refer-To: <${referTo}>`, `Referred-By: <${line.ua.configuration.uri.toString()}>`];
    void this.runTransfer(leg, target, 'blind', (onNotify, requestDelegate) => leg.session._refer(onNotify, requestDelegate, { extraHeaders: headers })).then((outcome) =>
      this.settleTransfer(outcome, leg),
    );
    return 'ok';
  }

  /**
   * One transfer's life (shared/phone/transfer-machine.ts): the REFER's response and the NOTIFYs
   * of its implicit subscription drive the machine, and the call's `transfer` view shows it.
   * Resolves with the final state (succeeded, or failed with the reason).
   */
  private runTransfer(
    main: CallLeg,
    target: string,
    kind: 'blind' | 'attended',
    send: (onNotify: (notification: Notification) => void, delegate: { onAccept: () => void; onReject: (response: IncomingResponse) => void }) => Promise<unknown>,
  ): Promise<TransferState> {
    return new Promise<TransferState>((resolve) => {
      let state: TransferState = idleTransfer;
      const clock = { timer: 0 };
      const feed = (event: TransferEvent) => {
        const next = transferTransition(state, event, Date.now());
        if (!next) return; // a late or duplicated message (a 202 after the first NOTIFY, a NOTIFY after the outcome)
        state = next;
        if (callById(main.id)) {
          const failed = next.kind === 'failed' ? { transferFailed: { target, kind, reason: next.reason, ...(next.code !== undefined ? { code: next.code } : {}) } } : {};
          updateCall(main.id, { transfer: { target, kind, status: transferStatusOf(next), state: next }, ...failed });
        }
        if (!isTransferFinal(next)) return;
        window.clearTimeout(clock.timer);
        if (this.transfers.get(main.id) === feed) this.transfers.delete(main.id);
        if (next.kind === 'failed') log.warn('transfer failed', { kind, reason: next.reason, code: next.code });
        else log.info('transfer succeeded', { kind });
        resolve(next);
      };
      this.transfers.set(main.id, feed);
      feed({ type: 'refer' });
      clock.timer = window.setTimeout(() => feed({ type: 'timeout' }), this.calls.transferTimeoutS * 1000);
      const onNotify = (notification: Notification) => {
        // Every NOTIFY of the subscription is answered 200, also after the outcome: a 481 would
        // tell the transferee that nobody is listening any more.
        void notification.accept().catch(() => undefined);
        const frag = parseSipfrag(notification.request.body);
        if (frag.ok) feed({ type: 'notify', code: frag.code });
        else log.warn('transfer NOTIFY without a readable sipfrag', { error: frag.error });
        // SIP.js transferees mark every NOTIFY terminated, 100 Trying included, without a reason;
        // a subscription ended with a reason and no final response did end (RFC 6665 §4.1.3).
        const sub = parseSubscriptionState(notification.request.getHeader('Subscription-State'));
        if (sub.state === 'terminated' && sub.reason !== undefined && (!frag.ok || frag.code < 200)) feed({ type: 'subscriptionEnded' });
      };
      send(onNotify, {
        onAccept: () => feed({ type: 'referAccepted' }),
        onReject: (response) => feed({ type: 'referRejected', code: response.message.statusCode }),
      }).catch((error: unknown) => {
        log.warn('REFER not sent', { reason: error instanceof Error ? error.message : String(error) });
        feed({ type: 'referRejected' });
      });
    });
  }

  /**
   * A transfer's outcome: on success the seat releases its legs (the caller's and, attended, the
   * consultation); on failure the caller is taken off hold and is back with the agent — unless
   * the agent is still talking to the consultation target, then the caller waits on hold.
   */
  private async settleTransfer(outcome: TransferState, main: CallLeg, consult?: CallLeg): Promise<void> {
    if (outcome.kind === 'succeeded') {
      for (const leg of consult ? [main, consult] : [main]) {
        leg.apply({ type: 'transferred' });
        if (leg.established) void leg.session.bye().catch(() => undefined);
      }
      return;
    }
    const consultCall = consult && callById(consult.id);
    if (consultCall && isLive(consultCall.state)) return;
    if (callById(main.id)?.state.kind === 'held' && main.established) {
      this.focus(main.id);
      await main.setHold(false);
    }
  }

  /**
   * This seat is the transferee (RFC 3515 §2.4): a REFER asks it to call the target. The REFER is
   * accepted (202), the call with the referrer waits on hold, the new call is placed on a line of
   * its own, and NOTIFYs report its progress (100 Trying at once, then 18x, then the final
   * response) until it is answered or fails. The referrer hangs up its leg once it sees the 2xx.
   */
  private onRefer(leg: CallLeg, referral: Referral): void {
    const call = callById(leg.id);
    const target = cleanNumber(referral.referTo.uri.user ?? '');
    const live = liveCalls(useCallStore.getState());
    if (!call || !leg.established || !this.host.registered() || this.mixer || live.length >= MAX_LINES || !target) {
      log.info('REFER refused', { reason: !target ? 'no target' : 'no free line' });
      void referral.reject({ statusCode: 603 }).catch(() => undefined);
      return;
    }
    void referral.accept().then(async () => {
      let done = false;
      const notify = (code: number, reason: string) => {
        const dialog = leg.session.dialog;
        if (done || !dialog || !leg.established) return;
        const final = code >= 200;
        done = final;
        const request = dialog.notify(undefined, {
          extraHeaders: ['Event: refer', `Subscription-State: ${final ? 'terminated;reason=noresource' : 'active;expires=60'}`],
          body: { contentDisposition: 'render', contentType: 'message/sipfrag', content: sipfragFor(code, reason) },
        });
        // The referrer no longer listens (481 …): no more NOTIFYs.
        request.delegate = { onReject: () => void (done = true) };
      };
      notify(100, 'Trying');
      if (callById(leg.id)?.state.kind === 'active') await leg.setHold(true);
      // The referrer's ticket (a Refer-To URI header) goes onto the INVITE to the target.
      const ticket = readTicketHeader(referral.referTo.uri.hasHeader(TICKET_HEADER) ? [String(referral.referTo.uri.getHeader(TICKET_HEADER) ?? '')] : []);
      const inviter = referral.makeInviter({
        earlyMedia: true,
        sessionDescriptionHandlerOptions: { constraints: { audio: this.micConstraints(), video: false } },
        ...(ticket.kind === 'ticket' ? { extraHeaders: [ticketHeaderLine(ticket.ticketId)] } : {}),
      });
      // The NOTIFYs are sent here (SIP.js would mark each one, 100 Trying included, as the last).
      inviter._referred = undefined;
      await this.placeCall(inviter, target, {
        onResponse: (code, reason) => {
          notify(code, reason);
          // The referred call failed: the call with the referrer is ours again (it takes the caller back).
          if (code >= 300 && callById(leg.id)?.state.kind === 'held' && leg.established) {
            this.focus(leg.id);
            void leg.setHold(false);
          }
        },
      });
    });
  }
  /** Attended transfer, step 1: the caller waits on hold while the agent calls the target. */
  async consult(number: string, to: TransferTo & { threeWay?: boolean } = {}): Promise<DialResult | 'notPossible'> {
    const leg = this.focusedLeg();
    const call = leg && callById(leg.id);
    if (!leg || !call || (call.state.kind !== 'active' && call.state.kind !== 'held') || this.mixer) return 'notPossible';
    if (call.state.kind === 'active' && !(await leg.setHold(true))) return 'notPossible';
    const { threeWay, ...target } = to;
    return this.dial(number, { consult: true, ...target, ...(threeWay ? { conferenceOnAnswer: true } : {}) });
  }

  /** The two established lines of a consultation: the caller's and the consultation call. */
  private pair(): { main: CallLeg; consult: CallLeg } | undefined {
    const calls = liveCalls(useCallStore.getState()).filter((c) => c.state.kind === 'active' || c.state.kind === 'held');
    const consultCall = calls.find((c) => c.consult);
    const mainCall = calls.find((c) => !c.consult);
    const main = mainCall && this.legs.get(mainCall.id);
    const consult = consultCall && this.legs.get(consultCall.id);
    return main && consult ? { main, consult } : undefined;
  }

  /**
   * Attended transfer, step 2 (also "leave the conference"): REFER the caller to the
   * consultation target with Replaces. Our lines are released only when the NOTIFY sipfrag says
   * the target took the caller (2xx); on a failure the agent keeps both lines (told why).
   */
  async completeTransfer(): Promise<TransferResult> {
    const pair = this.pair();
    if (!pair || this.transfers.has(pair.main.id)) return 'notPossible';
    const { main, consult } = pair;
    const target = callById(consult.id)?.remoteNumber ?? '';
    // Refer-To names the target's address of record with the consultation dialog in Replaces.
    // SIP.js's refer(session) would name the target's Contact instead, which for a WebRTC client
    // is an unroutable .invalid host; its refer(uri) leaves out the angle brackets a URI with
    // headers needs. So the REFER is built here and sent through SIP.js's own _refer.
    const dialog = consult.session.dialog;
    const line = this.host.ua();
    if (!line || !dialog) return 'notPossible';
    const replaces = encodeURIComponent(`${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`);
    const aor = this.dialledUris.get(consult.session) ?? `sip:${target}@${line.domain}`;
    const headers = [`Refer-To: <${aor}?Replaces=${replaces}>`, `Referred-By: <${line.ua.configuration.uri.toString()}>`];
    const outcome = await this.runTransfer(main, target, 'attended', (onNotify, delegate) => main.session._refer(onNotify, delegate, { extraHeaders: headers }));
    await this.settleTransfer(outcome, main, consult);
    return outcome.kind === 'succeeded' ? 'ok' : 'failed';
  }
  /** Three-way conference: both parties resumed and mixed so that each hears the other two. */
  async startConference(): Promise<'ok' | 'notPossible'> {
    const pair = this.pair();
    if (!pair || this.mixer) return 'notPossible';
    const legs = [pair.main, pair.consult];
    for (const leg of legs) if (callById(leg.id)?.state.kind === 'held' && !(await leg.setHold(false))) return 'notPossible';
    const mic = pair.main.microphone();
    const parties = legs.map((l) => ({ id: l.id, remote: l.remoteStream() }));
    if (!mic || parties.some((p) => !p.remote)) return 'notPossible';
    this.mixer = new ConferenceMixer(mic, parties as { id: string; remote: MediaStream }[]);
    for (const leg of legs) {
      await leg.sendTrack(this.mixer.trackFor(leg.id));
      updateCall(leg.id, { conference: true });
    }
    const muted = legs.some((l) => {
      const c = callById(l.id);
      return !!c && 'muted' in c.state && c.state.muted;
    });
    this.setMuted(muted);
    return 'ok';
  }

  /** The conference lost a party: the remaining one is a plain call again. */
  private async endConference(): Promise<void> {
    const mixer = this.mixer;
    if (!mixer) return;
    this.mixer = undefined;
    for (const c of useCallStore.getState().calls) {
      if (!c.conference) continue;
      updateCall(c.id, { conference: false });
      const leg = this.legs.get(c.id);
      if (leg && isLive(c.state)) {
        await leg.sendTrack(undefined);
        leg.syncTracks();
      }
    }
    mixer.close();
  }

  // ---- session life ---------------------------------------------------------------------------

  /**
   * The call is up. Media comes first: the audio is routed at once, while the screen, the agent
   * state and the call-state IPC wait for the first audio packet from the far end (or
   * MEDIA_FIRST_MS). Those renders cost tens of milliseconds of CPU that the ICE and DTLS
   * handshakes need on a desk PC, and the caller's first words matter more than the screen's
   * first 100 ms.
   */
  private onEstablished(leg: CallLeg): void {
    this.answeredSinceIdle = true;
    leg.attachRemoteAudio();
    const pc = leg.media?.peerConnection;
    pc?.addEventListener('connectionstatechange', () => {
      // Media gone for good (network lost beyond ICE's patience): end the call and say why.
      if (pc.connectionState === 'failed' && callById(leg.id) && isLive(callById(leg.id)!.state)) {
        log.warn('call media failed', {});
        this.unpublished.get(leg.id)?.();
        leg.apply({ type: 'connectionLost' });
        void leg.session.bye().catch(() => undefined);
      }
    });
    const track = leg.remoteAudioTrack();
    if (!track || !track.muted) return this.publishEstablished(leg);
    const wait = { timer: 0 };
    const publish = () => {
      if (this.unpublished.get(leg.id) !== publish) return;
      this.unpublished.delete(leg.id);
      window.clearTimeout(wait.timer);
      track.removeEventListener('unmute', publish);
      this.publishEstablished(leg);
    };
    this.unpublished.set(leg.id, publish);
    track.addEventListener('unmute', publish, { once: true });
    wait.timer = window.setTimeout(publish, MEDIA_FIRST_MS);
  }

  /** Show an established call as talking, and everything that follows from it. */
  private publishEstablished(leg: CallLeg): void {
    const before = callById(leg.id);
    if (!before || !isLive(before.state)) return;
    // An answered inbound call goes from ringing to active in one render (see answer()).
    if (before.state.kind === 'ringing') {
      leg.apply({ type: 'answer' });
      if (before.autoAnswerIn !== undefined) updateCall(leg.id, { autoAnswerIn: undefined });
      if (useCallStore.getState().focusedId !== leg.id) useCallStore.setState({ focusedId: leg.id });
    }
    leg.apply({ type: 'established' });
    leg.show();
    // Remember the microphone track now, before a conference could replace it with a mix.
    leg.microphone();
    if (!useCallStore.getState().calls.some((c) => c.state.kind === 'ringing')) this.ringer.stop();
    leg.startStats();
    if (before.signalling !== undefined) updateCall(leg.id, { signalling: undefined });
    enterOnCall();
    void bridge().shell.setCallActive({ active: true });
    // A three-way introduction: the target answered, so all three talk at once.
    if (this.conferenceOnAnswer.has(leg.session)) {
      this.conferenceOnAnswer.delete(leg.session);
      void this.startConference().then((r) => r !== 'ok' && log.warn('three-way introduction could not join the conference', {}));
    }
  }

  private onTerminated(leg: CallLeg): void {
    this.unpublished.get(leg.id)?.();
    // The caller hung up while being transferred: that transfer has no outcome any more.
    this.transfers.get(leg.id)?.({ type: 'callEnded' });
    const call = callById(leg.id);
    if (call && isLive(call.state)) {
      const event: CallEvent = call.state.kind === 'ringing' ? { type: 'cancelled' } : call.state.kind === 'dialing' || call.state.kind === 'early' ? { type: 'failed' } : { type: 'remoteBye' };
      leg.apply(event);
    }
    const view = callById(leg.id);
    this.emit(view, 'ended');
    leg.dispose();
    this.legs.delete(leg.id);
    if (view?.conference) void this.endConference();
    // A consultation that ended by itself (not a completed transfer) leaves the caller on hold.
    retireCall(leg.id);
    if (!useCallStore.getState().calls.some((c) => c.state.kind === 'ringing')) this.ringer.stop();
    if (liveCalls(useCallStore.getState()).length === 0) {
      void bridge().shell.setCallActive({ active: false });
      setMicLevel(0);
      if (this.answeredSinceIdle) enterAfterCallWork();
      this.answeredSinceIdle = false;
    }
  }

  /** The SIP connection was lost: calls keep their media (it does not go through the server). */
  signallingLost(): void {
    for (const c of liveCalls(useCallStore.getState())) {
      const leg = this.legs.get(c.id);
      if (!leg) continue;
      if (leg.established) updateCall(c.id, { signalling: 'lost' });
      else {
        // A call being set up cannot complete without signalling.
        leg.apply({ type: 'connectionLost' });
        void leg.session.dispose().catch(() => undefined);
      }
    }
  }

  /**
   * Registered again after a loss: refresh every dialog with a re-INVITE so the far end learns
   * the new route to us; a dialog the far end no longer knows (481) ends with the reason shown.
   */
  signallingRestored(): void {
    for (const c of liveCalls(useCallStore.getState())) {
      const leg = this.legs.get(c.id);
      if (!leg || c.signalling !== 'lost' || !leg.established) continue;
      void leg.session
        .invite({
          requestDelegate: {
            onAccept: () => updateCall(c.id, { signalling: undefined }),
            onReject: (response) => {
              if (response.message.statusCode === 481) {
                leg.apply({ type: 'connectionLost' });
                void leg.session.bye().catch(() => undefined);
              }
            },
          },
        })
        .catch(() => undefined);
    }
  }

  /** Devices changed (chosen, plugged, unplugged): move the live calls' audio. */
  private async rerouteAudio(): Promise<void> {
    for (const leg of this.legs.values()) await leg.applySink();
    const changed = await this.microphone.configure(this.micConstraints());
    // A conference keeps mixing the microphone it started with.
    if (!changed || this.legs.size === 0 || this.mixer) return;
    for (const leg of this.legs.values()) {
      if (!leg.established) continue;
      const track = await this.microphone.track();
      if (track) await leg.replaceMicrophone(track);
      leg.syncTracks();
    }
  }

  /** Everything ends (sign-out, settings change): hang up and release devices. */
  async shutdown(): Promise<void> {
    for (const id of [...this.legs.keys()]) await this.hangup(id);
    await this.endConference();
    this.ringer.stop();
    this.microphone.release();
  }
}

/** The focused call, for the shortcuts. */
export function focused(): CallView | null {
  return focusedCall(useCallStore.getState());
}
