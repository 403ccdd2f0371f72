import { describe, expect, it } from 'vitest';
import { preferCodecs } from '../../shared/phone/sdp-codecs';

// An audio offer as Chromium writes it (trimmed to the lines that matter).
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:1 cname:x',
  '',
].join('\r\n');

const mline = (sdp: string) => sdp.split('\r\n').find((l) => l.startsWith('m=audio'));

describe('codec preference in the local SDP', () => {
  it('puts the chosen codecs first in the chosen order and keeps DTMF and comfort noise', () => {
    const sdp = preferCodecs(OFFER, ['PCMA', 'opus', 'G722', 'PCMU']);
    expect(mline(sdp)).toBe('m=audio 9 UDP/TLS/RTP/SAVPF 8 111 9 0 63 13 110 126');
    expect(sdp.endsWith('\r\n')).toBe(true);
    expect(sdp.split('\r\n').filter((l) => l.startsWith('a=')).length).toBe(OFFER.split('\r\n').filter((l) => l.startsWith('a=')).length);
  });

  it('removes the codecs not chosen with their attributes; RED goes with Opus', () => {
    const sdp = preferCodecs(OFFER, ['PCMA', 'PCMU']);
    expect(mline(sdp)).toBe('m=audio 9 UDP/TLS/RTP/SAVPF 8 0 13 110 126');
    expect(sdp).not.toMatch(/opus|red\/|G722|a=fmtp:111|a=rtcp-fb:111|a=fmtp:63/);
    expect(sdp).toContain('a=rtpmap:110 telephone-event/48000');
    expect(sdp).toContain('a=ssrc:1 cname:x');
  });

  it('leaves an SDP alone when none of the chosen codecs is in it, and other sections untouched', () => {
    const g711Only = OFFER.replace('m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126', 'm=audio 9 UDP/TLS/RTP/SAVPF 0 8 110');
    expect(preferCodecs(g711Only, ['opus'])).toBe(g711Only);
    const withVideo = `${OFFER}m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n`;
    expect(preferCodecs(withVideo, ['PCMU'])).toContain('m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000');
  });
});
