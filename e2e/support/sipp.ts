/**
 * Runs sipp (Debian package sip-tester) as a plain-SIP peer, e.g. the PSTN/SIP gateway that
 * delivers calls from the public network over UDP. One run is one call (-m 1) of a scenario
 * file, with per-run values given as sipp keys (`[name]` in the scenario). Each run gets its own
 * UDP port, control port and log folder, so runs never collide with each other or with other
 * sipp processes on the machine, and is killed if it outlives its timeout.
 *
 * A scenario may wait for the test with <recvCmd/> (3PCC controller B mode): the run then
 * listens on a twin TCP port, and `command()` tells the call to go on, so the test decides when
 * instead of a guessed pause.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { freeUdpPort, isExecutable } from './host-tools';

export interface SippOptions {
  /** Scenario XML file. */
  scenario: string;
  /** Where the first request goes, host:port (the proxy); none for a scenario that starts by receiving (UAS). */
  remote?: string;
  /** The request URI's user part ([service]). */
  service: string;
  /** Values for the scenario's `[key]` placeholders. */
  keys?: Record<string, string>;
  /** The scenario waits for `command()` (it has a <recvCmd/>). */
  twin?: boolean;
  /** Local address (the gateway's). Default 127.0.0.1. */
  localAddr?: string;
  /** Hard limit for the whole run; sipp is killed after it. Default 60 s. */
  timeoutMs?: number;
  /** Calls of the run (default 1) and the rate they start at, calls per second (sipp's -r). */
  calls?: number;
  rate?: number;
  /** Lines of values for [field0] … (sipp's -inf, read in sequence). */
  injection?: string;
  /** Trace every message (default true; a load run leaves it off). */
  trace?: boolean;
  /** The UDP port to listen on (default: a free one). */
  port?: number;
  /** How long a bare <pause/> lasts (sipp's -d), ms. */
  pauseMs?: number;
  /** Calls open at once at most (sipp's -l). */
  maxConcurrent?: number;
}

export interface SippResult {
  /** sipp's exit code (0: the call passed; 1: it failed), or null when it was killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** sipp's error log (-trace_err): why a call failed. */
  errors: string;
  /** Every message sent and received (-trace_msg). */
  messages: string;
}

export interface SippRun {
  /** The Call-ID of the run's call. */
  readonly callId: string;
  /** Local UDP port the call is sent from. */
  readonly port: number;
  /** Resolves when sipp has exited (never rejects). */
  readonly done: Promise<SippResult>;
  /** Tell the call waiting in <recvCmd/> to go on. */
  command(headers?: Record<string, string>): Promise<void>;
  /** Stop sipp now (if still running) and wait for it. */
  kill(): Promise<SippResult>;
}

/** sipp from SIPP_PATH or the PATH; says what to install when there is none. */
export function findSipp(): string {
  const fromEnv = process.env.SIPP_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`SIPP_PATH=${fromEnv} is not an executable`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir || '.', 'sipp');
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error('sipp is not installed: it comes with the Debian package sip-tester (apt-get install sip-tester), or set SIPP_PATH');
}

async function freeTcpPort(addr: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, addr, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A key's value goes into a SIP message as is: a line break would start a header of its own. */
function checkKey(name: string, value: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad sipp key name: ${name}`);
  if (/[\r\n\0]/.test(value)) throw new Error(`sipp key ${name} must be one line without NUL`);
}

const MAX_OUTPUT = 1_000_000;

export async function startSipp(options: SippOptions): Promise<SippRun> {
  const bin = findSipp();
  const localAddr = options.localAddr ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const [port, controlPort, twinPort] = await Promise.all([
    options.port !== undefined ? Promise.resolve(options.port) : freeUdpPort(localAddr),
    freeUdpPort(localAddr),
    options.twin ? freeTcpPort(localAddr) : Promise.resolve(0),
  ]);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-sipp-'));
  // Our own Call-ID, so a twin command can name the call ([call_id] of call number 1).
  const callIdPrefix = `sipp-${crypto.randomBytes(6).toString('hex')}`;
  const callId = `${callIdPrefix}-1`;

  const args = [
    ...(options.remote ? [options.remote] : []),
    '-sf', options.scenario,
    '-s', options.service,
    '-i', localAddr,
    '-p', String(port),
    // The default control port (8888 and up) is shared by every sipp on the machine.
    '-ci', localAddr,
    '-cp', String(controlPort),
    '-m', String(options.calls ?? 1),
    ...(options.rate !== undefined ? ['-r', String(options.rate)] : []),
    ...(options.injection ? ['-inf', options.injection] : []),
    ...(options.pauseMs !== undefined ? ['-d', String(options.pauseMs)] : []),
    ...(options.maxConcurrent !== undefined ? ['-l', String(options.maxConcurrent)] : []),
    '-cid_str', `${callIdPrefix}-%u`,
    '-nostdin',
    // sipp's own limit, so a stuck call ends as a failure with its logs rather than a kill.
    '-timeout', `${Math.max(1, Math.floor(timeoutMs / 1000) - 2)}s`,
    '-timeout_error',
    '-trace_err', '-error_file', path.join(logDir, 'errors.log'),
    ...(options.trace === false ? [] : ['-trace_msg', '-message_file', path.join(logDir, 'messages.log')]),
  ];
  if (options.twin) args.push('-3pcc', `${localAddr}:${twinPort}`);
  for (const [name, value] of Object.entries(options.keys ?? {})) {
    checkKey(name, value);
    args.push('-key', name, value);
  }

  const child = spawn(bin, args, { cwd: logDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    if (stdout.length < MAX_OUTPUT) stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < MAX_OUTPUT) stderr += d.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  let twin: net.Socket | undefined;

  const readLog = (name: string) => {
    try {
      return fs.readFileSync(path.join(logDir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const done = new Promise<SippResult>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      twin?.destroy();
      const result: SippResult = { code, signal, timedOut, stdout, stderr, errors: readLog('errors.log'), messages: readLog('messages.log') };
      fs.rmSync(logDir, { recursive: true, force: true });
      resolve(result);
    };
    child.once('error', (error) => {
      stderr += String(error);
      finish(null, null);
    });
    child.once('close', finish);
  });

  /** Connect to the run's twin port (it opens it at start-up; retried until then). */
  const connectTwin = async (): Promise<net.Socket> => {
    const until = Date.now() + 5000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error('sipp has exited');
      const sock = await new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect(twinPort, localAddr, () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (sock) {
        // Closing it would end sipp at once (controller A gone): it stays open until sipp exits.
        sock.on('error', () => undefined);
        return sock;
      }
      if (Date.now() > until) throw new Error(`sipp did not open its twin port ${twinPort}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  return {
    callId,
    port,
    done,
    async command(headers = { 'X-Command': 'go' }) {
      if (!options.twin) throw new Error('this sipp run has no twin socket (twin: false)');
      twin ??= await connectTwin();
      const lines = [`Call-ID: ${callId}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      // A twin command is SIP-like text that ends with ESC (0x1b), not with a blank line.
      const socket = twin;
      await new Promise<void>((resolve, reject) => socket.write(`${lines.join('\r\n')}\r\n\r\n\x1b`, (e) => (e ? reject(e) : resolve())));
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return done;
    },
  };
}

/** Run a scenario that needs no commands to its end. */
export async function runSipp(options: Omit<SippOptions, 'twin'>): Promise<SippResult> {
  return (await startSipp(options)).done;
}

/** One line for a failed run: what sipp said and the messages it saw. */
export function describeSipp(result: SippResult): string {
  return [
    `sipp exited with code ${result.code}${result.signal ? ` (${result.signal})` : ''}${result.timedOut ? ' after its timeout' : ''}`,
    result.errors && `errors:\n${result.errors}`,
    result.stderr && `stderr:\n${result.stderr}`,
    result.messages && `messages:\n${result.messages.slice(-8000)}`,
  ]
    .filter(Boolean)
    .join('\n');
}
