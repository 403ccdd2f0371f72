/**
 * A caller from the phone network written for the suite: a small SIP user agent over UDP with
 * plain RTP/AVP and G.711 only, as the carrier's gateway delivers 12345 callers. It covers what
 * baresip 1.0 (rtp-party.ts) cannot: it keeps decoding after a re-INVITE (hold, resume), and it
 * follows a REFER with Replaces (attended transfer) by an INVITE carrying the Replaces header.
 *
 * It sends from 127.0.0.1 over UDP, so Kamailio takes it for the trusted gateway (no digest auth,
 * see kamailio.cfg.tpl), and rtpengine bridges its RTP to the seats' WebRTC. Every call is a
 * dialog with its own RTP socket; it plays its tone whenever the negotiated direction lets it send,
 * decodes whatever G.711 arrives (whatever the SSRC or sequence: a gateway's jitter buffer would
 * follow a source change too), and `toneLevels()` runs a Goertzel filter over what arrived in a
 * window, so a test tells who hears whom.
 *
 * Only what a gateway needs is here: outgoing calls, re-INVITEs answered, BYE both ways, REFER
 * (blind or with Replaces) with its NOTIFYs. Loopback only: no retransmissions are sent (lost UDP
 * on loopback would be a bug worth seeing), retransmitted requests are answered again.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { decodeG711, encodeG711, PCMA, PCMU } from './g711';
import { toneAmplitude } from './rtp-party';

export interface SipUdpCallerOptions {
  /** Kamailio's UDP port on 127.0.0.1. */
  proxyPort: number;
  domain: string;
  /** The caller's number (From user). */
  user: string;
  /** The tone it plays into every call, Hz. */
  toneHz: number;
}

export type DialogState = 'calling' | 'established' | 'closed';

export interface SipUdpCaller {
  readonly user: string;
  /** Calls `target` (a number in the domain); resolves when the call is answered and ACKed. */
  call(target: string): Promise<void>;
  /** Hangs up the latest established call (BYE). */
  hangup(): Promise<void>;
  /** Gives up the latest call not answered yet (CANCEL): the caller hangs up while waiting. */
  cancel(): Promise<void>;
  /** The Call-ID of the latest call. */
  callId(): string | undefined;
  /** State of the latest call ('none' before any). */
  state(): DialogState | 'none';
  /** States of all calls, oldest first. */
  states(): DialogState[];
  /** Amplitude (0..1) of each frequency in the G.711 audio received during the next `ms`. */
  toneLevels(freqs: number[], ms?: number): Promise<number[]>;
  /** One line per SIP message sent or received (for failure messages). */
  log(): string;
  close(): Promise<void>;
}

interface SipMessage {
  /** Request method, or undefined for a response. */
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  headers: [string, string][];
  body: string;
}

interface Sdp {
  addr: string;
  port: number;
  payloads: number[];
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

interface Dialog {
  callId: string;
  localTag: string;
  remoteTag?: string;
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  cseq: number;
  state: DialogState;
  rtp: dgram.Socket;
  rtpPort: number;
  sdpVersion: number;
  remote?: Sdp;
  /** Payload type this side sends (the answer's first G.711 type). */
  sendPt: number;
  /** Whether the negotiated direction lets this side send. */
  sending: boolean;
  timer?: NodeJS.Timeout;
  seq: number;
  ts: number;
  ssrc: number;
  phase: number;
  onAnswer?: { resolve: () => void; reject: (e: Error) => void };
  /** The INVITE's Via branch and CSeq: a CANCEL names the same transaction. */
  inviteBranch?: string;
  inviteCseq?: number;
}

const RATE = 8000;
const FRAME = 160; // 20 ms

function token(): string {
  return crypto.randomBytes(6).toString('hex');
}

function header(msg: SipMessage, name: string): string | undefined {
  const n = name.toLowerCase();
  return msg.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

/** All values of a header, comma-separated values split (outside <> and quotes). */
function headerValues(msg: SipMessage, name: string): string[] {
  const n = name.toLowerCase();
  const out: string[] = [];
  for (const [k, v] of msg.headers) {
    if (k.toLowerCase() !== n) continue;
    let depth = 0;
    let quoted = false;
    let start = 0;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === '<') depth++;
      else if (!quoted && c === '>') depth--;
      else if (!quoted && depth === 0 && c === ',') {
        out.push(v.slice(start, i).trim());
        start = i + 1;
      }
    }
    out.push(v.slice(start).trim());
  }
  return out;
}

const COMPACT: Record<string, string> = { v: 'Via', f: 'From', t: 'To', i: 'Call-ID', m: 'Contact', l: 'Content-Length', c: 'Content-Type', r: 'Refer-To', b: 'Referred-By' };

function parse(text: string): SipMessage | undefined {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  const [first, ...lines] = head.split('\r\n');
  if (!first) return undefined;
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length) {
      headers[headers.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    headers.push([COMPACT[name.toLowerCase()] ?? name, line.slice(colon + 1).trim()]);
  }
  const res = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(first);
  if (res) return { status: Number(res[1]), reason: res[2], headers, body };
  const req = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first);
  return req ? { method: req[1], uri: req[2], headers, body } : undefined;
}

function tagOf(value: string | undefined): string | undefined {
  return value ? /;\s*tag=([^;>\s]+)/i.exec(value)?.[1] : undefined;
}

/** The URI inside <…> of a name-addr, or the addr-spec up to its parameters. */
function uriOf(value: string): string {
  const angle = /<([^>]*)>/.exec(value);
  return angle ? angle[1]! : value.split(';')[0]!.trim();
}

function parseSdp(body: string): Sdp | undefined {
  const lines = body.split(/\r?\n/);
  let addr = '';
  let media: Sdp | undefined;
  let direction: Sdp['direction'] = 'sendrecv';
  for (const line of lines) {
    const c = /^c=IN IP4 (\S+)/.exec(line);
    if (c) addr = c[1]!;
    const m = /^m=audio (\d+) \S+((?: \d+)*)/.exec(line);
    if (m) media = { addr, port: Number(m[1]), payloads: m[2]!.trim().split(/\s+/).filter(Boolean).map(Number), direction };
    const a = /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line.trim());
    if (a) {
      direction = a[1] as Sdp['direction'];
      if (media) media.direction = direction;
    }
  }
  if (media && !media.addr) media.addr = addr;
  return media;
}

/** What this side answers to an offer's direction (RFC 3264 §6.1). */
function answerDirection(offer: Sdp['direction']): Sdp['direction'] {
  return offer === 'sendonly' ? 'recvonly' : offer === 'recvonly' ? 'sendonly' : offer;
}

export async function startSipUdpCaller(opts: SipUdpCallerOptions): Promise<SipUdpCaller> {
  if (!/^[0-9A-Za-z_.-]+$/.test(opts.user)) throw new Error('bad caller number');
  const sip = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sip.once('error', reject);
    sip.bind(0, '127.0.0.1', () => resolve());
  });
  const sipPort = sip.address().port;
  const contact = `<sip:${opts.user}@127.0.0.1:${sipPort};transport=udp>`;
  const dialogs: Dialog[] = [];
  const trace: string[] = [];
  /** Responses already sent, by the request's Via branch and method: a retransmission gets the same. */
  const answered = new Map<string, string>();
  const received: { at: number; samples: Int16Array }[] = [];
  let closed = false;

  const send = (text: string) => {
    const first = text.slice(0, text.indexOf('\r\n'));
    trace.push(`${new Date().toISOString()} → ${first} (${/Call-ID: (\S+)/.exec(text)?.[1] ?? ''})`);
    sip.send(text, opts.proxyPort, '127.0.0.1');
  };

  const openRtp = async (): Promise<{ socket: dgram.Socket; port: number }> => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    socket.on('message', (packet) => {
      if (packet.length < 12 || packet[0]! >> 6 !== 2) return;
      const cc = packet[0]! & 0x0f;
      let offset = 12 + cc * 4;
      if (packet[0]! & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
      const samples = decodeG711(packet[1]! & 0x7f, packet.subarray(offset));
      if (!samples) return;
      received.push({ at: Date.now(), samples });
      // Keep ~20 s: enough for any window a test asks about.
      if (received.length > 1000) received.splice(0, received.length - 1000);
    });
    return { socket, port: socket.address().port };
  };

  const sdpOf = (d: Dialog, direction: Sdp['direction']): string =>
    [
      'v=0',
      `o=${opts.user} ${d.ssrc} ${d.sdpVersion++} IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${d.rtpPort} RTP/AVP ${PCMA} ${PCMU}`,
      `a=rtpmap:${PCMA} PCMA/8000`,
      `a=rtpmap:${PCMU} PCMU/8000`,
      'a=ptime:20',
      `a=${direction}`,
      '',
    ].join('\r\n');

  /** Plays the tone while the dialog's direction lets this side send, 20 ms a packet. */
  const updateMedia = (d: Dialog, remote: Sdp, ourDirection: Sdp['direction']) => {
    d.remote = remote;
    const pt = remote.payloads.find((p) => p === PCMA || p === PCMU);
    if (pt !== undefined) d.sendPt = pt;
    d.sending = (ourDirection === 'sendrecv' || ourDirection === 'sendonly') && remote.port > 0 && remote.addr !== '0.0.0.0';
    if (d.sending && !d.timer && d.state !== 'closed') {
      const started = performance.now();
      let sent = 0;
      const tick = () => {
        if (!d.sending || d.state === 'closed' || !d.remote) return;
        // Catch up to the clock: timers on a busy machine fire late, the caller's audio does not.
        const due = Math.floor((performance.now() - started) / 20) + 1;
        for (; sent < due; sent++) {
          const frame = new Int16Array(FRAME);
          for (let i = 0; i < FRAME; i++) {
            frame[i] = Math.round(0.5 * 32767 * Math.sin(d.phase));
            d.phase += (2 * Math.PI * opts.toneHz) / RATE;
          }
          d.phase %= 2 * Math.PI;
          const head = Buffer.alloc(12);
          head[0] = 0x80;
          head[1] = d.sendPt;
          head.writeUInt16BE(d.seq, 2);
          head.writeUInt32BE(d.ts >>> 0, 4);
          head.writeUInt32BE(d.ssrc, 8);
          d.seq = (d.seq + 1) & 0xffff;
          d.ts = (d.ts + FRAME) >>> 0;
          d.rtp.send(Buffer.concat([head, encodeG711(d.sendPt, frame)]), d.remote.port, d.remote.addr);
        }
      };
      d.timer = setInterval(tick, 20);
    } else if (!d.sending && d.timer) {
      clearInterval(d.timer);
      d.timer = undefined;
    }
  };

  const endDialog = (d: Dialog) => {
    d.state = 'closed';
    d.sending = false;
    if (d.timer) clearInterval(d.timer);
    d.timer = undefined;
    d.rtp.close();
  };

  const request = (d: Dialog, method: string, extra: string[] = [], body = '', contentType = ''): void => {
    if (method !== 'ACK') d.cseq++;
    const branch = `z9hG4bK${token()}`;
    if (method === 'INVITE' && d.state === 'calling') {
      d.inviteBranch = branch;
      d.inviteCseq = d.cseq;
    }
    send(
      [
        `${method} ${d.remoteTarget} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${sipPort};branch=${branch};rport`,
        'Max-Forwards: 70',
        ...d.routeSet.map((r) => `Route: ${r}`),
        `From: <${d.localUri}>;tag=${d.localTag}`,
        `To: <${d.remoteUri}>${d.remoteTag ? `;tag=${d.remoteTag}` : ''}`,
        `Call-ID: ${d.callId}`,
        `CSeq: ${d.cseq} ${method}`,
        `Contact: ${contact}`,
        ...extra,
        ...(contentType ? [`Content-Type: ${contentType}`] : []),
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
    );
  };

  const respond = (req: SipMessage, status: number, reason: string, opt: { toTag?: string; extra?: string[]; body?: string; contentType?: string } = {}) => {
    const to = header(req, 'To') ?? '';
    const text = [
      `SIP/2.0 ${status} ${reason}`,
      ...headerValues(req, 'Via').map((v) => `Via: ${v}`),
      `From: ${header(req, 'From') ?? ''}`,
      `To: ${opt.toTag && !tagOf(to) ? `${to};tag=${opt.toTag}` : to}`,
      `Call-ID: ${header(req, 'Call-ID') ?? ''}`,
      `CSeq: ${header(req, 'CSeq') ?? ''}`,
      ...(opt.extra ?? []),
      ...(opt.contentType ? [`Content-Type: ${opt.contentType}`] : []),
      `Content-Length: ${Buffer.byteLength(opt.body ?? '')}`,
      '',
      opt.body ?? '',
    ].join('\r\n');
    const branch = /branch=([^;\s,]+)/.exec(header(req, 'Via') ?? '')?.[1];
    if (branch) answered.set(`${branch} ${req.method}`, text);
    send(text);
  };

  /** Starts a call: an INVITE to `uri` (with extra headers, e.g. Replaces). */
  const invite = async (uri: string, extra: string[] = []): Promise<Dialog> => {
    const { socket, port } = await openRtp();
    const d: Dialog = {
      callId: `${token()}@127.0.0.1`,
      localTag: token(),
      localUri: `sip:${opts.user}@${opts.domain}`,
      remoteUri: uri,
      remoteTarget: uri,
      routeSet: [],
      cseq: 0,
      state: 'calling',
      rtp: socket,
      rtpPort: port,
      sdpVersion: 1,
      sendPt: PCMA,
      sending: false,
      seq: crypto.randomInt(0, 0xffff),
      ts: crypto.randomInt(0, 0x7fffffff),
      ssrc: crypto.randomInt(1, 0x7fffffff),
      phase: 0,
    };
    dialogs.push(d);
    const answeredCall = new Promise<void>((resolve, reject) => {
      d.onAnswer = { resolve, reject };
    });
    request(d, 'INVITE', extra, sdpOf(d, 'sendrecv'), 'application/sdp');
    await answeredCall;
    return d;
  };

  const onResponse = (msg: SipMessage) => {
    const d = dialogs.find((x) => x.callId === header(msg, 'Call-ID'));
    const cseq = /^(\d+) (\w+)/.exec(header(msg, 'CSeq') ?? '');
    if (!d || !cseq || cseq[2] !== 'INVITE') return;
    const status = msg.status!;
    if (status < 200) return;
    if (status >= 300) {
      // The failure's ACK belongs to the INVITE transaction (same branch), hop by hop.
      const via = header(msg, 'Via') ?? '';
      send(
        [
          `ACK ${d.remoteUri} SIP/2.0`,
          `Via: ${via}`,
          'Max-Forwards: 70',
          `From: ${header(msg, 'From')}`,
          `To: ${header(msg, 'To')}`,
          `Call-ID: ${d.callId}`,
          `CSeq: ${cseq[1]} ACK`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      if (d.state === 'calling') {
        endDialog(d);
        d.onAnswer?.reject(new Error(`call refused: ${status} ${msg.reason ?? ''}`));
      }
      return;
    }
    if (d.state === 'calling') {
      d.remoteTag = tagOf(header(msg, 'To'));
      d.remoteTarget = uriOf(header(msg, 'Contact') ?? d.remoteUri);
      d.routeSet = headerValues(msg, 'Record-Route').reverse();
      d.state = 'established';
      const sdp = parseSdp(msg.body);
      // Our offer was sendrecv: the answer's direction, seen from this side, is what we do.
      if (sdp) updateMedia(d, sdp, answerDirection(sdp.direction));
    }
    // Every 2xx (also a retransmission) is acknowledged end to end.
    const ack = Number(cseq[1]);
    const saved = d.cseq;
    d.cseq = ack;
    request(d, 'ACK');
    d.cseq = saved;
    d.onAnswer?.resolve();
    d.onAnswer = undefined;
  };

  /** A REFER: accept it, say so by NOTIFY, call the target (with Replaces when given), report the outcome. */
  const onRefer = (d: Dialog, msg: SipMessage) => {
    const referTo = header(msg, 'Refer-To');
    if (!referTo) {
      respond(msg, 400, 'Missing Refer-To');
      return;
    }
    respond(msg, 202, 'Accepted', { extra: [`Contact: ${contact}`] });
    const notify = (frag: string, terminated: boolean) =>
      request(d, 'NOTIFY', ['Event: refer', `Subscription-State: ${terminated ? 'terminated;reason=noresource' : 'active;expires=60'}`], `${frag}\r\n`, 'message/sipfrag;version=2.0');
    notify('SIP/2.0 100 Trying', false);
    const target = uriOf(referTo);
    const [uri, query = ''] = target.split('?');
    const extra = query
      .split('&')
      .filter(Boolean)
      .map((kv) => {
        const [k, v = ''] = kv.split('=');
        return `${decodeURIComponent(k!)}: ${decodeURIComponent(v)}`;
      });
    const referredBy = header(msg, 'Referred-By');
    if (referredBy) extra.push(`Referred-By: ${referredBy}`);
    invite(uri!, extra).then(
      () => notify('SIP/2.0 200 OK', true),
      (e: Error) => notify(`SIP/2.0 ${/(\d{3})/.exec(e.message)?.[1] ?? '503'} Transfer failed`, true),
    );
  };

  const onRequest = (msg: SipMessage) => {
    const branch = /branch=([^;\s,]+)/.exec(header(msg, 'Via') ?? '')?.[1];
    const again = branch ? answered.get(`${branch} ${msg.method}`) : undefined;
    if (again) {
      send(again);
      return;
    }
    if (msg.method === 'ACK') return;
    const d = dialogs.find((x) => x.callId === header(msg, 'Call-ID') && x.localTag === tagOf(header(msg, 'To')));
    if (!d || d.state === 'closed') {
      respond(msg, 481, 'Call/Transaction Does Not Exist');
      return;
    }
    const target = header(msg, 'Contact');
    switch (msg.method) {
      case 'INVITE': {
        const offer = parseSdp(msg.body);
        if (target) d.remoteTarget = uriOf(target);
        if (!offer) {
          respond(msg, 488, 'Not Acceptable Here');
          return;
        }
        const direction = answerDirection(offer.direction);
        updateMedia(d, offer, direction);
        respond(msg, 200, 'OK', { extra: [`Contact: ${contact}`], body: sdpOf(d, direction), contentType: 'application/sdp' });
        return;
      }
      case 'BYE':
        respond(msg, 200, 'OK');
        endDialog(d);
        return;
      case 'REFER':
        onRefer(d, msg);
        return;
      case 'OPTIONS':
      case 'NOTIFY':
      case 'INFO':
        respond(msg, 200, 'OK');
        return;
      default:
        respond(msg, 501, 'Not Implemented');
    }
  };

  sip.on('message', (buf) => {
    const msg = parse(buf.toString('utf8'));
    if (!msg) return;
    trace.push(`${new Date().toISOString()} ← ${msg.method ? `${msg.method} ${msg.uri}` : `${msg.status} ${msg.reason}`} (${header(msg, 'Call-ID') ?? ''})`);
    if (msg.method) onRequest(msg);
    else onResponse(msg);
  });

  const latest = () => dialogs[dialogs.length - 1];

  return {
    user: opts.user,
    async call(target) {
      if (!/^[0-9A-Za-z_.-]+$/.test(target)) throw new Error('bad target');
      await invite(`sip:${target}@${opts.domain}`);
    },
    async hangup() {
      const d = [...dialogs].reverse().find((x) => x.state === 'established');
      if (!d) throw new Error('no established call to hang up');
      request(d, 'BYE');
      endDialog(d);
    },
    async cancel() {
      const d = [...dialogs].reverse().find((x) => x.state === 'calling');
      if (!d?.inviteBranch) throw new Error('no call waiting to cancel');
      send(
        [
          `CANCEL ${d.remoteUri} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${sipPort};branch=${d.inviteBranch};rport`,
          'Max-Forwards: 70',
          `From: <${d.localUri}>;tag=${d.localTag}`,
          `To: <${d.remoteUri}>`,
          `Call-ID: ${d.callId}`,
          `CSeq: ${d.inviteCseq} CANCEL`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    },
    callId: () => latest()?.callId,
    state: () => latest()?.state ?? 'none',
    states: () => dialogs.map((d) => d.state),
    async toneLevels(freqs, ms = 600) {
      const from = Date.now();
      await new Promise((r) => setTimeout(r, ms));
      const chunks = received.filter((c) => c.at >= from);
      const samples = new Int16Array(chunks.reduce((n, c) => n + c.samples.length, 0));
      let at = 0;
      for (const c of chunks) {
        samples.set(c.samples, at);
        at += c.samples.length;
      }
      return freqs.map((f) => toneAmplitude(samples, RATE, f));
    },
    log: () => trace.join('\n'),
    async close() {
      if (closed) return;
      closed = true;
      for (const d of dialogs) {
        if (d.state === 'established') request(d, 'BYE');
        if (d.state !== 'closed') endDialog(d);
      }
      await new Promise<void>((resolve) => sip.close(() => resolve()));
    },
  };
}
