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

/** A handler shaped like SIP.js's web handler: a peer connection, directions and its own createLocalOfferOrAnswer. */
function webSetup() {
  const created: string[] = [];
  const pc = {
    signalingState: 'stable' as RTCSignalingState,
    remoteDescription: null as { sdp: string } | null,
    transceivers: [{ mid: '0', direction: 'sendrecv' }],
    getTransceivers() {
      return this.transceivers;
    },
    createAnswer() {
      created.push(`answer to ${this.remoteDescription?.sdp} (${this.transceivers[0]!.direction})`);
      return Promise.resolve({ type: 'answer' as const, sdp: `answer#${created.length}` });
    },
  };
  const base = (() =>
    ({
      peerConnection: pc,
      setDescription: (sdp: string) => {
        pc.signalingState = 'have-remote-offer';
        pc.remoteDescription = { sdp };
        return Promise.resolve();
      },
      updateDirection: () => Promise.resolve(),
      createLocalOfferOrAnswer: () => pc.createAnswer(),
    }) as unknown as SessionDescriptionHandler) as unknown as SessionDescriptionHandlerFactory;
  const factory = withPreparedOffer(base);
  let sdh: (SessionDescriptionHandler & { createLocalOfferOrAnswer(o?: unknown): Promise<RTCSessionDescriptionInit> }) | undefined;
  const invitation = {
    request: { body: OFFER, getHeader: (name: string) => (name === 'Content-Type' ? 'application/sdp' : undefined) },
    get sessionDescriptionHandler() {
      return sdh;
    },
    setupSessionDescriptionHandler: () => (sdh ??= factory({} as never, {}) as unknown as NonNullable<typeof sdh>),
  } as unknown as Invitation;
  /** Everything the ringing phase starts has settled (the early answer is made). */
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const handler = () => sdh!;
  return { pc, created, invitation, settle, handler };
}

describe('prepared answer', () => {
  it('is created while ringing and taken by accept(): no createAnswer after the click', async () => {
    const { created, invitation, settle, handler } = webSetup();
    prepareOffer(invitation, OPTIONS);
    await settle();
    expect(created).toEqual([`answer to ${OFFER} (sendrecv)`]);
    await handler().setDescription(OFFER, OPTIONS);
    await expect(handler().createLocalOfferOrAnswer(OPTIONS)).resolves.toEqual({ type: 'answer', sdp: 'answer#1' });
    expect(created).toHaveLength(1);
  });

  it('is made afresh when the options changed', async () => {
    const { created, invitation, settle, handler } = webSetup();
    prepareOffer(invitation, OPTIONS);
    await settle();
    await expect(handler().createLocalOfferOrAnswer({ constraints: { audio: false } })).resolves.toEqual({ type: 'answer', sdp: 'answer#2' });
    expect(created).toHaveLength(2);
  });

  it('is made afresh when a direction changed after it was made (hold while ringing)', async () => {
    const { pc, created, invitation, settle, handler } = webSetup();
    prepareOffer(invitation, OPTIONS);
    await settle();
    pc.transceivers[0]!.direction = 'sendonly';
    await expect(handler().createLocalOfferOrAnswer(OPTIONS)).resolves.toEqual({ type: 'answer', sdp: 'answer#2' });
    expect(created[1]).toContain('(sendonly)');
  });

  it('is used once: a later offer from the far end (re-INVITE) gets its own answer', async () => {
    const { pc, created, invitation, settle, handler } = webSetup();
    prepareOffer(invitation, OPTIONS);
    await settle();
    await handler().createLocalOfferOrAnswer(OPTIONS);
    pc.signalingState = 'stable';
    const reoffer = `${OFFER}a=sendonly\r\n`;
    await handler().setDescription(reoffer, OPTIONS);
    await expect(handler().createLocalOfferOrAnswer(OPTIONS)).resolves.toEqual({ type: 'answer', sdp: 'answer#2' });
    expect(created[1]).toContain('a=sendonly');
  });

  it('is not made when the answer was asked for before ringing finished preparing it', async () => {
    const { created, invitation, settle, handler } = webSetup();
    prepareOffer(invitation, OPTIONS);
    await handler().createLocalOfferOrAnswer(OPTIONS);
    await settle();
    expect(created).toHaveLength(1);
  });

  it('falls back to a fresh answer when the early one failed', async () => {
    const { pc, created, invitation, settle, handler } = webSetup();
    const createAnswer = pc.createAnswer.bind(pc);
    let n = 0;
    pc.createAnswer = () => (++n === 1 ? Promise.reject(new Error('early')) : createAnswer());
    prepareOffer(invitation, OPTIONS);
    await settle();
    await expect(handler().createLocalOfferOrAnswer(OPTIONS)).resolves.toEqual({ type: 'answer', sdp: 'answer#1' });
    expect(n).toBe(2);
    expect(created).toHaveLength(1);
  });
});
