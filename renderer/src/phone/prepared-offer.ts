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
 * early one failed, it applies it as usual).
 */
import type { Invitation, SessionDescriptionHandler, SessionDescriptionHandlerFactory, SessionDescriptionHandlerOptions } from 'sip.js';

interface Prepared {
  readonly sdp: string;
  readonly options: string;
  readonly done: Promise<void>;
}

const prepared = new WeakMap<SessionDescriptionHandler, Prepared>();

const optionsKey = (options: SessionDescriptionHandlerOptions | undefined) => JSON.stringify(options ?? {});

export function withPreparedOffer(base: SessionDescriptionHandlerFactory): SessionDescriptionHandlerFactory {
  return (session, options) => {
    const sdh = base(session, options);
    const setDescription = sdh.setDescription.bind(sdh);
    sdh.setDescription = (sdp, opts, modifiers) => {
      const early = prepared.get(sdh);
      prepared.delete(sdh);
      if (early && early.sdp === sdp && early.options === optionsKey(opts) && !modifiers?.length) {
        return early.done.catch(() => setDescription(sdp, opts, modifiers));
      }
      return setDescription(sdp, opts, modifiers);
    };
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
  const sdh = (invitation as unknown as { setupSessionDescriptionHandler(): SessionDescriptionHandler }).setupSessionDescriptionHandler();
  const done = sdh.setDescription(sdp, options);
  // A failure here is not the call's: accept() applies the offer again and reports its own.
  done.catch(() => undefined);
  prepared.set(sdh, { sdp, options: optionsKey(options), done });
}
