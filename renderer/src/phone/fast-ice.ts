/**
 * Session description handlers that stop waiting for ICE gathering once the candidates that
 * matter are in: SIP.js waits for gathering to be "complete" (about 130 ms on a desk PC with no
 * STUN, longer with unreachable TURN), but without trickle ICE the offer/answer only needs one
 * usable candidate per path. With no ICE servers a host candidate is enough; with STUN/TURN the
 * first server-reflexive or relay candidate. The configured gathering timeout still caps the wait.
 */
import type { SessionDescriptionHandlerFactory, Web } from 'sip.js';
import { sipLib } from './sip-lib';

/** Grace after the first usable candidate, so that the other interfaces' candidates make it too. */
const GRACE_MS = 15;

export function isEnoughCandidate(candidate: string, haveIceServers: boolean): boolean {
  const type = / typ (host|srflx|prflx|relay)/.exec(candidate)?.[1];
  const udp = / udp /i.test(candidate);
  return haveIceServers ? type === 'srflx' || type === 'relay' : type === 'host' && udp;
}

export function fastIceFactory(mediaStream: () => Promise<MediaStream>, haveIceServers: () => boolean): SessionDescriptionHandlerFactory {
  const base = sipLib().Web.defaultSessionDescriptionHandlerFactory(() => mediaStream());
  return (session, options) => {
    const sdh = base(session, options) as Web.SessionDescriptionHandler;
    let timer: ReturnType<typeof setTimeout> | undefined;
    sdh.peerConnectionDelegate = {
      onicecandidate: (event) => {
        const c = event.candidate?.candidate;
        if (!c || timer !== undefined || !isEnoughCandidate(c, haveIceServers())) return;
        timer = setTimeout(() => {
          timer = undefined;
          sdh.iceGatheringComplete();
        }, GRACE_MS);
      },
      onicegatheringstatechange: () => {
        if (sdh.peerConnection?.iceGatheringState === 'gathering') {
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
        }
      },
    };
    return sdh;
  };
}
