/**
 * Applies the agent's codec preference (settings: sip.codecs) to every description the SIP stack
 * makes or takes — offers, answers and re-INVITEs alike — by wrapping the session description
 * handlers a factory creates. The far end's SDP is reordered too: Chromium sends with the first
 * codec of the remote list, so an answer alone would not make the workstation send its choice.
 */
import type { SessionDescriptionHandlerFactory, SessionDescriptionHandlerModifier } from 'sip.js';
import { preferCodecs, type KnownCodec } from '../../../shared/phone/sdp-codecs';

export function withCodecPreference(base: SessionDescriptionHandlerFactory, codecs: () => readonly KnownCodec[]): SessionDescriptionHandlerFactory {
  const modifier: SessionDescriptionHandlerModifier = (description) =>
    Promise.resolve(description.sdp ? { type: description.type, sdp: preferCodecs(description.sdp, codecs()) } : description);
  return (session, options) => {
    const sdh = base(session, options);
    const getDescription = sdh.getDescription.bind(sdh);
    const setDescription = sdh.setDescription.bind(sdh);
    sdh.getDescription = (opts, modifiers) => getDescription(opts, [...(modifiers ?? []), modifier]);
    sdh.setDescription = (sdp, opts, modifiers) => setDescription(sdp, opts, [...(modifiers ?? []), modifier]);
    return sdh;
  };
}
