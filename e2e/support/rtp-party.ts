/**
 * A caller from the phone network: a plain SIP user agent over UDP speaking plain RTP/AVP with
 * G.711 only (PCMA, PCMU), as the carrier's gateway delivers 12345 callers. It is baresip
 * (Debian package baresip-core) in its own process and folder, controlled over its ctrl_tcp
 * socket (JSON netstrings): it dials, answers, holds, resumes and hangs up, and it follows a
 * REFER (transfer) as a desk phone does. Its microphone is a tone WAV (aufile), and what it
 * receives is recorded by the sndfile module; `hears()` runs a Goertzel filter over the audio
 * that arrived in the last moments, so tests tell who hears whom as with the browser parties.
 *
 * It registers on the suite's Kamailio as its own user over UDP (so a seat can dial it), and its
 * requests come from the trusted gateway address (loopback), like the SIPp trunk tests.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export interface RtpPartyOptions {
  /** Kamailio's UDP port on 127.0.0.1. */
  proxyPort: number;
  domain: string;
  user: string;
  password: string;
  /** 8 kHz mono 16-bit WAV played as the microphone (aufile needs the codec's sample rate). */
  wav: string;
}

export interface BaresipEvent {
  type: string;
  id?: string;
  peeruri?: string;
  param?: string;
  direction?: string;
}

export interface RtpParty {
  readonly user: string;
  call(target: string): Promise<void>;
  answer(): Promise<void>;
  hangup(): Promise<void>;
  hold(): Promise<void>;
  resume(): Promise<void>;
  /** Every event baresip reported so far (CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, CALL_TRANSFER …). */
  events(): BaresipEvent[];
  /** Last call event type, e.g. CALL_ESTABLISHED, CALL_CLOSED; 'none' before any call. */
  state(): string;
  /** A call is ringing here now (offered, not yet answered or gone). */
  hasIncoming(): boolean;
  /** baresip's status of the current call (RTP counters, codecs), as text. */
  callStatus(): Promise<string>;
  /** Number of calls baresip has now. */
  callCount(): Promise<number>;
  /**
   * Amplitude (0..1 of full scale) of each frequency in the audio received during the next
   * `ms` milliseconds; all 0 when nothing arrived (silence on hold: no RTP at all).
   */
  toneLevels(freqs: number[], ms?: number): Promise<number[]>;
  /** What baresip printed (for failure messages). */
  log(): string;
  /** The folder of its recordings (dump-…-dec.wav: received, dump-…-enc.wav: sent). */
  readonly recordingDir: string;
  close(): Promise<void>;
}

/** A tone counts as heard above this amplitude (the senders play at half scale; G.711 noise is far below). */
export const RTP_HEARD_AMPLITUDE = 0.02;

function findBaresip(): string {
  const bin = process.env.BARESIP_PATH ?? '/usr/bin/baresip';
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    return bin;
  } catch {
    throw new Error(`baresip is not installed: it comes with the Debian package baresip-core (apt-get install --no-install-recommends baresip-core), or set BARESIP_PATH (tried ${bin})`);
  }
}

/**
 * A free TCP port for baresip's control socket, below Linux's ephemeral range (32768–60999): a
 * port the kernel hands out itself could be taken between this check and baresip's bind — by
 * baresip's own SIP TCP/TLS listeners on port 0, which happened once.
 */
async function freeTcpPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free TCP port in 20000-29999 for the baresip control socket');
}

/** The 16-bit mono samples and rate of a WAV written by libsndfile, from byte `from` of its data on. */
function readWav(file: string, fromData: number): { rate: number; samples: Int16Array; dataBytes: number } {
  const buf = fs.readFileSync(file);
  let rate = 8000;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') rate = buf.readUInt32LE(off + 12);
    if (id === 'data') {
      // The size field is written only when the file is closed: read up to the end.
      const start = off + 8;
      const dataBytes = (buf.length - start) & ~1;
      const from = Math.min(fromData, dataBytes);
      const slice = buf.subarray(start + from, start + dataBytes);
      const samples = new Int16Array(slice.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = slice.readInt16LE(i * 2);
      return { rate, samples, dataBytes };
    }
    off += 8 + size + (size & 1);
  }
  return { rate, samples: new Int16Array(0), dataBytes: 0 };
}

/** Amplitude of `freq` in `samples` (Hann window, Goertzel), 0..1 of full scale. */
export function toneAmplitude(samples: Int16Array, rate: number, freq: number): number {
  const n = samples.length;
  if (n < 64) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    wsum += w;
    const s = (samples[i]! / 32768) * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / wsum;
}

/** Starts the party; a control port taken at the last moment is retried with another port. */
export async function startRtpParty(opts: RtpPartyOptions): Promise<RtpParty> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRtpPartyOnce(opts);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof ControlPortTaken)) throw error;
    }
  }
}

class ControlPortTaken extends Error {}

async function startRtpPartyOnce(opts: RtpPartyOptions): Promise<RtpParty> {
  const bin = findBaresip();
  if (!/^[A-Za-z0-9_.-]+$/.test(opts.user) || /[;"\\\s>]/.test(opts.password)) throw new Error('bad plain-RTP party account');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-baresip-'));
  const recDir = path.join(dir, 'rec');
  fs.mkdirSync(recDir);
  const ctrlPort = await freeTcpPort();
  const proxy = `sip:127.0.0.1:${opts.proxyPort};transport=udp`;
  fs.writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      'sip_listen 127.0.0.1:0',
      'sip_trans_def udp',
      'net_interface 127.0.0.1',
      // The microphone: the party's tone. No loudspeaker (no player module at all: ALSA's null
      // device would take a whole core, it has no clock); the received audio is recorded by
      // sndfile below instead.
      `audio_source aufile,${opts.wav}`,
      'ausrc_srate 8000',
      'auplay_srate 8000',
      'ausrc_channels 1',
      'auplay_channels 1',
      'rtp_ports 30000-39998',
      'jitter_buffer_delay 2-10',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module sndfile.so',
      'module account.so',
      'module menu.so',
      'module ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      `snd_path ${recDir}`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'accounts'),
    `<sip:${opts.user}@${opts.domain}>;auth_user=${opts.user};auth_pass=${opts.password};outbound="${proxy}";regint=600;audio_codecs=PCMA,PCMU;answermode=manual;medianat=;mediaenc=\n`,
  );
  fs.writeFileSync(path.join(dir, 'contacts'), '');

  let output = '';
  const child: ChildProcess = spawn(bin, ['-f', dir, ...(process.env.BARESIP_DEBUG ? ['-v'] : [])], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const append = (d: Buffer) => {
    output += d.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  // Without the status line it redraws many times a second.
  const log = () => output.replace(/\[\d+:\d\d:\d\d\] audio=\S* \(bit\/s\)\s*/g, '');

  const events: BaresipEvent[] = [];
  const pending = new Map<string, { resolve: (v: { ok: boolean; data: string }) => void }>();
  let token = 0;
  let sock: net.Socket | undefined;
  let inbuf = '';
  const onData = (d: Buffer) => {
    inbuf += d.toString('utf8');
    for (;;) {
      const colon = inbuf.indexOf(':');
      if (colon < 0) return;
      const len = Number(inbuf.slice(0, colon));
      // Netstring lengths count bytes; baresip's JSON escapes non-ASCII, so bytes = chars here.
      if (inbuf.length < colon + 1 + len + 1) return;
      const body = inbuf.slice(colon + 1, colon + 1 + len);
      inbuf = inbuf.slice(colon + 1 + len + 1);
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(body) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (msg.event) events.push(msg as unknown as BaresipEvent);
      else if (msg.response && typeof msg.token === 'string') {
        pending.get(msg.token)?.resolve({ ok: Boolean(msg.ok), data: String(msg.data ?? '') });
        pending.delete(msg.token);
      }
    }
  };

  const close = async () => {
    sock?.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const until = Date.now() + 10_000;
    while (!sock) {
      if (child.exitCode !== null) throw new Error(`baresip exited at start-up:\n${log().slice(-3000)}`);
      // Never talk to whatever else holds the port: baresip says when it could not listen.
      if (/ctrl_tcp: failed to listen/.test(log())) throw new ControlPortTaken(`baresip could not open its control port ${ctrlPort}`);
      sock = await new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect(ctrlPort, '127.0.0.1', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (!sock) {
        if (Date.now() > until) throw new Error(`baresip did not open its control port:\n${log().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    sock.on('data', onData);
    sock.on('error', () => undefined);
    // Registered: a seat can now dial this user.
    const regUntil = Date.now() + 10_000;
    // The event may come before the control socket is connected: baresip prints it too.
    while (!events.some((e) => e.type === 'REGISTER_OK') && !/\} 200 OK .*binding/.test(log())) {
      const failed = events.find((e) => e.type === 'REGISTER_FAIL');
      if (failed || Date.now() > regUntil) throw new Error(`baresip did not register (${failed?.param ?? 'timeout'}):\n${log().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (/ctrl_tcp: failed to listen/.test(log())) throw new ControlPortTaken(`baresip could not open its control port ${ctrlPort}`);
  } catch (error) {
    await close();
    throw error;
  }

  const command = async (cmd: string, params = ''): Promise<string> => {
    const t = String(++token);
    const json = JSON.stringify({ command: cmd, params, token: t });
    const reply = new Promise<{ ok: boolean; data: string }>((resolve) => pending.set(t, { resolve }));
    sock!.write(`${Buffer.byteLength(json)}:${json},`);
    const r = await Promise.race([reply, new Promise<undefined>((res) => setTimeout(() => res(undefined), 5000))]);
    if (!r) throw new Error(`baresip did not answer ${cmd}`);
    if (!r.ok) throw new Error(`baresip ${cmd} ${params}: ${r.data}`);
    return r.data;
  };

  /** Events that change a call's state (not CALL_RTCP, CALL_MENC and the like). */
  const CALL_STATES = new Set(['CALL_INCOMING', 'CALL_OUTGOING', 'CALL_RINGING', 'CALL_PROGRESS', 'CALL_ESTABLISHED', 'CALL_CLOSED', 'CALL_TRANSFER', 'CALL_TRANSFER_FAILED']);
  const callEvents = () => events.filter((e) => CALL_STATES.has(e.type));

  /** The newest recording of received (decoded) audio: the current call's. */
  const newestRecording = (): string | undefined => {
    const files = fs
      .readdirSync(recDir)
      .filter((f) => f.endsWith('-dec.wav'))
      .map((f) => ({ f: path.join(recDir, f), t: fs.statSync(path.join(recDir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    return files[0]?.f;
  };

  return {
    user: opts.user,
    async call(target) {
      // With the proxy's port: Kamailio is 127.0.0.1 only on its own ports.
      await command('dial', `sip:${target}@${opts.domain}:${opts.proxyPort}`);
    },
    async answer() {
      await command('accept');
    },
    async hangup() {
      await command('hangup');
    },
    async hold() {
      await command('hold');
    },
    async resume() {
      await command('resume');
    },
    events: () => [...events],
    state: () => callEvents().at(-1)?.type ?? 'none',
    hasIncoming() {
      const evs = callEvents();
      const last = evs.at(-1);
      return last?.type === 'CALL_INCOMING';
    },
    callStatus: () => command('callstat').catch((e: unknown) => String(e)),
    async callCount() {
      const data = await command('listcalls');
      return (data.match(/sip:/g) ?? []).length;
    },
    async toneLevels(freqs, ms = 600) {
      const before = newestRecording();
      const start = before ? readWav(before, Number.MAX_SAFE_INTEGER).dataBytes : 0;
      await new Promise((r) => setTimeout(r, ms));
      const after = newestRecording();
      if (!after) return freqs.map(() => 0);
      const { rate, samples } = readWav(after, after === before ? start : 0);
      // Only what arrived in the window; a new recording (a new call) counts from its start.
      return freqs.map((f) => toneAmplitude(samples, rate, f));
    },
    log,
    recordingDir: recDir,
    close,
  };
}
