/**
 * A seat's phone reduced to its signalling, for tests of the call distribution: a small SIP user
 * agent over UDP that registers at the suite's Kamailio (digest auth, like every seat) and takes
 * the calls Kamailio offers it — rings, then answers at once, after a delay, when told, or never
 * (an agent away from the desk). No media: the distribution is about who rings, not what is heard.
 *
 * Loopback only; requests it receives again are answered again, nothing is retransmitted.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';

export type AgentAnswerMode = { kind: 'auto'; delayMs?: number } | { kind: 'manual' } | { kind: 'never' } | { kind: 'busy' };

export interface AgentCall {
  callId: string;
  state: 'ringing' | 'answered' | 'established' | 'ended' | 'cancelled' | 'rejected';
  at: number;
}

export interface SipUdpAgent {
  readonly user: string;
  register(): Promise<void>;
  unregister(): Promise<void>;
  setMode(mode: AgentAnswerMode): void;
  /** Answer the ringing call (manual mode). */
  answer(callId?: string): void;
  /** Hang up the established call (BYE). */
  hangup(callId?: string): void;
  calls(): AgentCall[];
  /** Resolves when a call reaches `state` (optionally the n-th call, 1-based). */
  waitFor(state: AgentCall['state'], n?: number, timeoutMs?: number): Promise<AgentCall>;
  log(): string;
  close(): Promise<void>;
}

interface Msg {
  method?: string;
  uri?: string;
  status?: number;
  headers: [string, string][];
  body: string;
}

const COMPACT: Record<string, string> = { v: 'Via', f: 'From', t: 'To', i: 'Call-ID', m: 'Contact', l: 'Content-Length', c: 'Content-Type' };

function parse(text: string): Msg | undefined {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const [first, ...lines] = head.split('\r\n');
  if (!first) return undefined;
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    headers.push([COMPACT[name.toLowerCase()] ?? name, line.slice(colon + 1).trim()]);
  }
  const body = split < 0 ? '' : text.slice(split + 4);
  const res = /^SIP\/2\.0 (\d{3})/.exec(first);
  if (res) return { status: Number(res[1]), headers, body };
  const req = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first);
  return req ? { method: req[1], uri: req[2], headers, body } : undefined;
}

const get = (m: Msg, name: string) => m.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
const all = (m: Msg, name: string) => m.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const token = () => crypto.randomBytes(6).toString('hex');

interface Dialog {
  callId: string;
  invite: Msg;
  localTag: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  cseq: number;
  call: AgentCall;
  answerTimer?: NodeJS.Timeout;
}

export async function startSipUdpAgent(opts: { proxyPort: number; domain: string; user: string; password: string; mode?: AgentAnswerMode }): Promise<SipUdpAgent> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => resolve());
  });
  const port = sock.address().port;
  const contact = `<sip:${opts.user}@127.0.0.1:${port};transport=udp>`;
  let mode: AgentAnswerMode = opts.mode ?? { kind: 'auto' };
  const dialogs = new Map<string, Dialog>();
  const calls: AgentCall[] = [];
  const trace: string[] = [];
  const waiters = new Set<() => void>();
  let pendingRegister: { resolve: () => void; reject: (e: Error) => void; expires: number; tried: boolean; callId: string; cseq: number } | undefined;
  let regCseq = 0;
  const regCallId = `${token()}@127.0.0.1`;

  const send = (text: string) => {
    trace.push(`${new Date().toISOString()} → ${text.slice(0, text.indexOf('\r\n'))}`);
    sock.send(text, opts.proxyPort, '127.0.0.1');
  };
  const changed = () => {
    for (const w of [...waiters]) w();
  };

  const respond = (req: Msg, status: number, reason: string, extra: string[] = [], body = '', toTag?: string) => {
    const to = get(req, 'To') ?? '';
    send(
      [
        `SIP/2.0 ${status} ${reason}`,
        ...all(req, 'Via').map((v) => `Via: ${v}`),
        ...all(req, 'Record-Route').map((v) => `Record-Route: ${v}`),
        `From: ${get(req, 'From') ?? ''}`,
        `To: ${toTag && !/;\s*tag=/i.test(to) ? `${to};tag=${toTag}` : to}`,
        `Call-ID: ${get(req, 'Call-ID') ?? ''}`,
        `CSeq: ${get(req, 'CSeq') ?? ''}`,
        ...extra,
        ...(body ? ['Content-Type: application/sdp'] : []),
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
    );
  };

  const sendRegister = (expires: number, auth?: string) => {
    regCseq++;
    send(
      [
        `REGISTER sip:${opts.domain}:${opts.proxyPort} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${token()};rport`,
        'Max-Forwards: 70',
        `From: <sip:${opts.user}@${opts.domain}>;tag=${token()}`,
        `To: <sip:${opts.user}@${opts.domain}>`,
        `Call-ID: ${regCallId}`,
        `CSeq: ${regCseq} REGISTER`,
        `Contact: ${contact}`,
        `Expires: ${expires}`,
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  };

  const digest = (challenge: string, method: string, uri: string): string => {
    const param = (n: string) => new RegExp(`${n}="?([^",]+)"?`, 'i').exec(challenge)?.[1] ?? '';
    const realm = param('realm');
    const nonce = param('nonce');
    const qop = param('qop');
    const ha1 = md5(`${opts.user}:${realm}:${opts.password}`);
    const ha2 = md5(`${method}:${uri}`);
    if (qop.split(',').map((q) => q.trim()).includes('auth')) {
      const cnonce = token();
      const nc = '00000001';
      const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
      return `Digest username="${opts.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
    }
    return `Digest username="${opts.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${md5(`${ha1}:${nonce}:${ha2}`)}", algorithm=MD5`;
  };

  const inDialog = (d: Dialog, method: string) => {
    d.cseq++;
    const from = get(d.invite, 'To') ?? '';
    send(
      [
        `${method} ${d.remoteTarget} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${token()};rport`,
        'Max-Forwards: 70',
        ...d.routeSet.map((r) => `Route: ${r}`),
        `From: ${/;\s*tag=/i.test(from) ? from : `${from};tag=${d.localTag}`}`,
        `To: ${get(d.invite, 'From') ?? ''}`,
        `Call-ID: ${d.callId}`,
        `CSeq: ${d.cseq} ${method}`,
        `Contact: ${contact}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  };

  const sdp = () =>
    ['v=0', `o=${opts.user} 1 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 8 0', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');

  const answerDialog = (d: Dialog) => {
    if (d.call.state !== 'ringing') return;
    d.call.state = 'answered';
    d.call.at = Date.now();
    respond(d.invite, 200, 'OK', [`Contact: ${contact}`], sdp(), d.localTag);
    changed();
  };

  sock.on('message', (buf) => {
    const m = parse(buf.toString('utf8'));
    if (!m) return;
    trace.push(`${new Date().toISOString()} ← ${m.method ?? m.status} ${get(m, 'Call-ID') ?? ''}`);
    if (m.status !== undefined) {
      if (get(m, 'Call-ID') === regCallId && pendingRegister) {
        const p = pendingRegister;
        if ((m.status === 401 || m.status === 407) && !p.tried) {
          p.tried = true;
          sendRegister(p.expires, digest(get(m, 'WWW-Authenticate') ?? get(m, 'Proxy-Authenticate') ?? '', 'REGISTER', `sip:${opts.domain}:${opts.proxyPort}`));
        } else if (m.status >= 200 && m.status < 300) {
          pendingRegister = undefined;
          p.resolve();
        } else if (m.status >= 300) {
          pendingRegister = undefined;
          p.reject(new Error(`REGISTER failed: ${m.status}`));
        }
      }
      return;
    }
    const callId = get(m, 'Call-ID') ?? '';
    const d = dialogs.get(callId);
    switch (m.method) {
      case 'INVITE': {
        if (d) {
          // A retransmission: the same answer again.
          if (d.call.state === 'ringing') respond(m, 180, 'Ringing', [`Contact: ${contact}`], '', d.localTag);
          else if (d.call.state === 'answered') respond(m, 200, 'OK', [`Contact: ${contact}`], sdp(), d.localTag);
          return;
        }
        const localTag = token();
        const call: AgentCall = { callId, state: 'ringing', at: Date.now() };
        const contactUri = /<([^>]+)>/.exec(get(m, 'Contact') ?? '')?.[1] ?? (get(m, 'Contact') ?? '').split(';')[0]!;
        const nd: Dialog = { callId, invite: m, localTag, remoteUri: '', remoteTarget: contactUri, routeSet: all(m, 'Record-Route').flatMap((v) => v.split(/,(?=\s*<)/).map((x) => x.trim())), cseq: 0, call };
        dialogs.set(callId, nd);
        calls.push(call);
        if (mode.kind === 'busy') {
          call.state = 'rejected';
          respond(m, 486, 'Busy Here', [], '', localTag);
          changed();
          return;
        }
        respond(m, 180, 'Ringing', [`Contact: ${contact}`], '', localTag);
        changed();
        if (mode.kind === 'auto') nd.answerTimer = setTimeout(() => answerDialog(nd), mode.delayMs ?? 0);
        return;
      }
      case 'ACK':
        if (d && d.call.state === 'answered') {
          d.call.state = 'established';
          d.call.at = Date.now();
          changed();
        }
        return;
      case 'CANCEL':
        respond(m, 200, 'OK');
        if (d && d.call.state === 'ringing') {
          clearTimeout(d.answerTimer);
          d.call.state = 'cancelled';
          d.call.at = Date.now();
          respond(d.invite, 487, 'Request Terminated', [], '', d.localTag);
          changed();
        }
        return;
      case 'BYE':
        respond(m, 200, 'OK');
        if (d && d.call.state !== 'ended') {
          d.call.state = 'ended';
          d.call.at = Date.now();
          changed();
        }
        return;
      case 'OPTIONS':
        respond(m, 200, 'OK');
        return;
      default:
        if (m.method) respond(m, 501, 'Not Implemented');
    }
  });

  const registerFor = (expires: number) =>
    new Promise<void>((resolve, reject) => {
      pendingRegister = { resolve, reject, expires, tried: false, callId: regCallId, cseq: regCseq };
      sendRegister(expires);
      setTimeout(() => pendingRegister?.reject(new Error('REGISTER timed out')), 5000).unref();
    });

  const latest = (states: AgentCall['state'][], callId?: string) =>
    [...dialogs.values()].reverse().find((x) => (callId ? x.callId === callId : states.includes(x.call.state)));

  return {
    user: opts.user,
    register: () => registerFor(600),
    unregister: () => registerFor(0),
    setMode: (m) => (mode = m),
    answer(callId) {
      const d = latest(['ringing'], callId);
      if (d) answerDialog(d);
    },
    hangup(callId) {
      const d = latest(['established', 'answered'], callId);
      if (!d) return;
      inDialog(d, 'BYE');
      d.call.state = 'ended';
      d.call.at = Date.now();
      changed();
    },
    calls: () => calls.map((c) => ({ ...c })),
    waitFor(state, n, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const c = n === undefined ? [...calls].reverse().find((x) => x.state === state) : calls[n - 1]?.state === state ? calls[n - 1] : undefined;
          if (!c) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve({ ...c });
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`agent ${opts.user}: no call ${state} within ${timeoutMs} ms\n${trace.slice(-20).join('\n')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    log: () => trace.join('\n'),
    async close() {
      for (const d of dialogs.values()) clearTimeout(d.answerTimer);
      await new Promise<void>((resolve) => sock.close(() => resolve()));
    },
  };
}
