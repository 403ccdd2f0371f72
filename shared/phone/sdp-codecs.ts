/**
 * The agent's codec preference applied to a local SDP (offer or answer): in every audio section
 * the chosen codecs come first in the chosen order, the known codecs not chosen are removed with
 * their attribute lines, and everything else (telephone-event for DTMF, comfort noise, RED) stays
 * after them in its own order (RED, which carries Opus, goes with Opus). An answer lists the codec it picks first, so the agent's first
 * choice wins whenever the far end offered it.
 */
import { CODECS } from '../settings/schema';

export type KnownCodec = (typeof CODECS)[number];

const known = new Map<string, KnownCodec>(CODECS.map((c) => [c.toLowerCase(), c]));

export function preferCodecs(sdp: string, preference: readonly KnownCodec[]): string {
  if (preference.length === 0) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  // Sections: the session part, then one per m= line.
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([]);
    sections[sections.length - 1]!.push(line);
  }
  return sections.map((s) => (s[0]?.startsWith('m=audio ') ? reorderAudio(s, preference) : s).join(eol)).join(eol);
}

function reorderAudio(section: string[], preference: readonly KnownCodec[]): string[] {
  const [mline, ...attrs] = section;
  const parts = mline!.split(' ');
  const payloads = parts.slice(3);
  const codecOf = new Map<string, KnownCodec | undefined>();
  const red = new Set<string>();
  for (const a of attrs) {
    const m = /^a=rtpmap:(\d+) ([^/]+)\//.exec(a);
    if (m) codecOf.set(m[1]!, known.get(m[2]!.toLowerCase()));
    if (m && m[2]!.toLowerCase() === 'red') red.add(m[1]!);
  }
  const rank = (pt: string) => {
    const codec = codecOf.get(pt);
    if (red.has(pt) && !preference.includes('opus')) return -1;
    return codec === undefined ? preference.length : preference.indexOf(codec);
  };
  const dropped = new Set(payloads.filter((pt) => rank(pt) === -1));
  const kept = payloads.filter((pt) => !dropped.has(pt));
  // Never leave a section without a real codec: then the SDP is kept as it was.
  if (!kept.some((pt) => codecOf.get(pt) !== undefined)) return section;
  const ordered = kept
    .map((pt, i) => ({ pt, i, r: rank(pt) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.pt);
  const attrPt = (a: string) => /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)[ \s]/.exec(a)?.[1];
  return [[...parts.slice(0, 3), ...ordered].join(' '), ...attrs.filter((a) => !dropped.has(attrPt(a) ?? ''))];
}
