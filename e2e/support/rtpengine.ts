/**
 * A real rtpengine media relay for the suite (Debian package rtpengine-daemon, user space only:
 * no kernel module, `--table=-1`). It bridges the phone network's plain RTP/AVP (G.711) and the
 * seats' WebRTC (ICE + DTLS-SRTP), driven by the suite's Kamailio over the ng protocol on a
 * loopback UDP port. Started in the foreground with its own run folder and port range, killed by
 * its PID at the end. Its log (stderr) is kept for failure messages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dgram from 'node:dgram';
import { spawn, type ChildProcess } from 'node:child_process';
import { freeUdpPort, isExecutable } from './host-tools';

export interface RunningRtpengine {
  /** The ng control socket for Kamailio's rtpengine module, e.g. udp:127.0.0.1:2223. */
  ngSocket: string;
  runDir: string;
  /** Everything rtpengine printed so far. */
  log(): string;
  /** rtpengine's raw (bencoded) answer to an ng `query` of a call: its streams and packet counters. */
  query(callId: string): Promise<string>;
  stop(): Promise<void>;
}

/** One ng command (bencoded dictionary of strings) and its raw answer. */
async function ng(port: number, dict: Record<string, string>): Promise<string> {
  const body = `d${Object.entries(dict)
    .map(([k, v]) => `${Buffer.byteLength(k)}:${k}${Buffer.byteLength(v)}:${v}`)
    .join('')}e`;
  const cookie = `c${Math.random().toString(36).slice(2, 10)}`;
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error(`rtpengine did not answer ${dict.command}`));
    }, 2000);
    sock.on('message', (m) => {
      clearTimeout(timer);
      sock.close();
      resolve(m.toString('latin1').slice(cookie.length + 1));
    });
    sock.send(`${cookie} ${body}`, port, '127.0.0.1');
  });
}

/** Ask the ng port for a `ping` until it answers `pong` (bencoded). */
async function waitForPong(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`rtpengine exited at start-up:\n${log().slice(-4000)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = dgram.createSocket('udp4');
      const timer = setTimeout(() => {
        sock.close();
        resolve(false);
      }, 200);
      sock.on('message', (m) => {
        clearTimeout(timer);
        sock.close();
        resolve(m.toString().includes('pong'));
      });
      sock.on('error', () => {
        clearTimeout(timer);
        sock.close();
        resolve(false);
      });
      sock.send('ready d7:command4:pinge', port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`rtpengine did not answer on its ng port ${port}:\n${log().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRtpengine(): Promise<RunningRtpengine> {
  const bin = process.env.RTPENGINE_PATH ?? '/usr/bin/rtpengine';
  if (!isExecutable(bin)) throw new Error(`rtpengine is not installed: it comes with the Debian package rtpengine-daemon (apt-get install --no-install-recommends rtpengine-daemon), or set RTPENGINE_PATH (tried ${bin})`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-rtpengine-'));
  const ngPort = await freeUdpPort();
  // A media port range of its own per run (several suites may run on the machine at once).
  const portMin = 20_000 + 2 * Math.floor(Math.random() * 10_000);
  const args = [
    '--config-file=none',
    '--foreground',
    '--log-stderr',
    '--log-level=6',
    // User space only: no kernel forwarding table (no xt_RTPENGINE module needed).
    '--table=-1',
    '--interface=127.0.0.1',
    `--listen-ng=127.0.0.1:${ngPort}`,
    `--port-min=${portMin}`,
    `--port-max=${portMin + 399}`,
    // Otherwise a browser-initiated call to a plain peer can fail DTLS: rtpengine would start the
    // handshake before the browser has the answer.
    '--dtls-passive',
    '--num-threads=2',
    '--delete-delay=0',
    '--endpoint-learning=immediate',
    `--pidfile=${path.join(runDir, 'rtpengine.pid')}`,
  ];
  const child = spawn(bin, args, { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (d: Buffer) => {
    output += d.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const log = () => output;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitForPong(ngPort, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ngSocket: `udp:127.0.0.1:${ngPort}`, runDir, log, query: (callId) => ng(ngPort, { command: 'query', 'call-id': callId }), stop };
}
