/** The offer applied while a call rings is not applied a second time by accept(). */
import { describe, expect, it } from 'vitest';
import type { Invitation, SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js';
import { prepareOffer, withPreparedOffer } from '../../renderer/src/phone/prepared-offer';

const OFFER = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n';
const OPTIONS = { constraints: { audio: { echoCancellation: true }, video: false } };

function setup(result: () => Promise<void> = () => Promise.resolve()) {
  const applied: string[] = [];
  const base = (() =>
    ({
      setDescription: (sdp: string) => {
        applied.push(sdp);
        return result();
      },
    }) as unknown as SessionDescriptionHandler) as unknown as SessionDescriptionHandlerFactory;
  const factory = withPreparedOffer(base);
  let sdh: SessionDescriptionHandler | undefined;
  const invitation = {
    request: { body: OFFER, getHeader: (name: string) => (name === 'Content-Type' ? 'application/sdp' : undefined) },
    get sessionDescriptionHandler() {
      return sdh;
    },
    setupSessionDescriptionHandler: () => (sdh ??= factory({} as never, {})),
  } as unknown as Invitation;
  // What SIP.js does in accept(): the session's handler (made while ringing, or now), then the offer.
  const accept = (options = OPTIONS) => (invitation as unknown as { setupSessionDescriptionHandler(): SessionDescriptionHandler }).setupSessionDescriptionHandler().setDescription(OFFER, options);
  return { applied, invitation, accept };
}

describe('prepared offer', () => {
  it('applies the offer while ringing, once: accept() gets that result', async () => {
    const { applied, invitation, accept } = setup();
    prepareOffer(invitation, OPTIONS);
    expect(applied).toEqual([OFFER]);
    await accept();
    expect(applied).toEqual([OFFER]);
  });

  it('applies it again when the options changed in between (another microphone)', async () => {
    const { applied, invitation, accept } = setup();
    prepareOffer(invitation, OPTIONS);
    await accept({ constraints: { audio: { echoCancellation: false }, video: false } });
    expect(applied).toEqual([OFFER, OFFER]);
  });

  it('applies it again when the early attempt failed, and reports that one', async () => {
    let n = 0;
    const { applied, invitation, accept } = setup(() => (++n === 1 ? Promise.reject(new Error('early')) : Promise.resolve()));
    prepareOffer(invitation, OPTIONS);
    await expect(accept()).resolves.toBeUndefined();
    expect(applied).toEqual([OFFER, OFFER]);
  });

  it('does nothing for an INVITE without SDP, or once the handler exists', () => {
    const { applied, invitation } = setup();
    (invitation.request as unknown as { body: string }).body = '';
    prepareOffer(invitation, OPTIONS);
    expect(applied).toEqual([]);
    (invitation.request as unknown as { body: string }).body = OFFER;
    (invitation as unknown as { setupSessionDescriptionHandler(): unknown }).setupSessionDescriptionHandler();
    prepareOffer(invitation, OPTIONS);
    expect(applied).toEqual([]);
  });
});
