/**
 * Answering starts while the call rings: the caller's offer is applied as soon as the ringing
 * call is on screen (peer connection, microphone track, remote description), so that the click
 * on answer only has to make the answer and gather ICE before the 200 OK leaves. Applying the
 * remote description is the longest step of the answer, and its result comes back through the
 * renderer's main thread, where it waits behind the click's own work (input, focus, a frame) —
 * on a desk PC several milliseconds of the caller's silence.
 *
 * Nothing goes on the wire before the answer: without a local description there is no ICE
 * gathering and no media. A call that is refused, cancelled or missed closes its handler as
 * before (the session's dispose), which stops the microphone clone too.
 *
 * SIP.js applies the offer itself again in accept(); the wrapper hands that call the result of
 * the one made while ringing when it is the same offer with the same options (else, or when the
 * early one failed, it applies it as usual). The answer itself is created while ringing too
 * (createAnswer has no effect on the wire: only setting it as the local description starts ICE
 * and media), and accept() takes it when the options and the transceivers' directions are still
 * the ones it was made with — one fewer round trip to the WebRTC thread behind the click.
 */
import type { Invitation, SessionDescriptionHandler, SessionDescriptionHandlerFactory, SessionDescriptionHandlerOptions } from 'sip.js';

interface Prepared {
  readonly sdp: string;
  readonly options: string;
  readonly done: Promise<void>;
}

interface PreparedAnswer {
  readonly options: string;
  /** The remote offer and the transceivers' directions the answer was created with. */
  readonly remote: string;
  readonly directions: string;
  readonly answer: Promise<RTCSessionDescriptionInit>;
}

/** The parts of SIP.js's web handler used here (protected in its typings, public at run time). */
interface WebHandler extends SessionDescriptionHandler {
  readonly peerConnection?: RTCPeerConnection;
  updateDirection(options?: SessionDescriptionHandlerOptions): Promise<void>;
  createLocalOfferOrAnswer(options?: SessionDescriptionHandlerOptions): Promise<RTCSessionDescriptionInit>;
}

const prepared = new WeakMap<SessionDescriptionHandler, Prepared>();
const preparedAnswers = new WeakMap<SessionDescriptionHandler, PreparedAnswer>();
/** Handlers that made their own offer or answer already: one made while ringing would be stale. */
const answered = new WeakSet<SessionDescriptionHandler>();

const optionsKey = (options: SessionDescriptionHandlerOptions | undefined) => JSON.stringify(options ?? {});
const directionsOf = (pc: RTCPeerConnection | undefined) => (pc ? pc.getTransceivers().map((t) => `${t.mid}:${t.direction}`).join(',') : '');

export function withPreparedOffer(base: SessionDescriptionHandlerFactory): SessionDescriptionHandlerFactory {
  return (session, options) => {
    const sdh = base(session, options) as WebHandler;
    const setDescription = sdh.setDescription.bind(sdh);
    sdh.setDescription = (sdp, opts, modifiers) => {
      const early = prepared.get(sdh);
      prepared.delete(sdh);
      if (early && early.sdp === sdp && early.options === optionsKey(opts) && !modifiers?.length) {
        return early.done.catch(() => setDescription(sdp, opts, modifiers));
      }
      preparedAnswers.delete(sdh);
      return setDescription(sdp, opts, modifiers);
    };
    if (typeof sdh.createLocalOfferOrAnswer === 'function') {
      const createLocal = sdh.createLocalOfferOrAnswer.bind(sdh);
      sdh.createLocalOfferOrAnswer = (opts) => {
        const early = preparedAnswers.get(sdh);
        preparedAnswers.delete(sdh);
        answered.add(sdh);
        const pc = sdh.peerConnection;
        const same = early && early.options === optionsKey(opts) && early.remote === pc?.remoteDescription?.sdp && early.directions === directionsOf(pc);
        if (same && pc?.signalingState === 'have-remote-offer') {
          return early.answer.catch(() => createLocal(opts));
        }
        return createLocal(opts);
      };
    }
    return sdh;
  };
}

/** Apply a ringing call's offer now (see above). Does nothing for an INVITE without SDP (late offer). */
export function prepareOffer(invitation: Invitation, options: SessionDescriptionHandlerOptions): void {
  const request = invitation.request;
  const sdp = request.body;
  const type = request.getHeader('Content-Type') ?? '';
  if (!sdp || !/^\s*application\/sdp\b/i.test(type) || invitation.sessionDescriptionHandler) return;
  // SIP.js's own (protected) way to create the session's handler: accept() then finds it made.
  const sdh = (invitation as unknown as { setupSessionDescriptionHandler(): WebHandler }).setupSessionDescriptionHandler();
  const done = sdh.setDescription(sdp, options);
  // A failure here is not the call's: accept() applies the offer again and reports its own.
  done.catch(() => undefined);
  prepared.set(sdh, { sdp, options: optionsKey(options), done });
  if (typeof sdh.createLocalOfferOrAnswer !== 'function' || typeof sdh.updateDirection !== 'function') return;
  // The answer as accept() would make it: the same directions first, then createAnswer.
  const key = optionsKey(options);
  void done.then(async () => {
    const pc = sdh.peerConnection;
    if (pc?.signalingState !== 'have-remote-offer' || answered.has(sdh)) return;
    await sdh.updateDirection(options);
    if (answered.has(sdh)) return;
    const answer = pc.createAnswer((options as { answerOptions?: RTCAnswerOptions }).answerOptions);
    answer.catch(() => undefined);
    preparedAnswers.set(sdh, { options: key, remote: pc.remoteDescription?.sdp ?? '', directions: directionsOf(pc), answer });
  }).catch(() => undefined);
}
