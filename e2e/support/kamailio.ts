/**
 * A real Kamailio for the suite: renders e2e/sip/kamailio.cfg.tpl with free ports, a run folder,
 * the test users and the trusted gateway's address, checks the config, starts Kamailio in the
 * foreground and waits until its WebSocket port accepts connections. Its log (stderr) is kept
 * for assertions.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './paths';

export interface SipUser {
  user: string;
  password: string;
}

export interface KamailioOptions {
  /**
   * Source address of the PSTN/SIP gateway: its UDP requests are a trusted trunk (no digest
   * auth). Loopback in tests, so a local sipp plays the gateway.
   */
  gatewayAddr?: string;
  /**
   * rtpengine's ng control socket (udp:127.0.0.1:PORT, see rtpengine.ts): calls between a plain
   * UDP user agent and a WebSocket (WebRTC) one get their media relayed by it. Without it, no
   * call touches a media relay (as in every suite of browsers only).
   */
  rtpengineSocket?: string;
  /**
   * Calls to these lines (e.g. 12345) are held and distributed by the platform over evapi
   * (PLATFORM_EVAPI = 127.0.0.1:evapiPort). `holdMs`: how long Kamailio holds a call the platform
   * never decides on (default 10 minutes).
   */
  queue?: { lines: string[]; holdMs?: number };
}

export interface RunningKamailio {
  wsUrl: string;
  udpPort: number;
  /** Kamailio's evapi port (with `queue`): the platform connects to it. */
  evapiPort?: number;
  domain: string;
  /** The address whose UDP requests Kamailio takes from the trusted gateway. */
  gatewayAddr: string;
  runDir: string;
  /** Everything Kamailio printed so far. */
  log(): string;
  /** How many REGISTER requests from `user` Kamailio has seen. */
  registerCount(user: string): number;
  stop(): Promise<void>;
  /** Kill hard (as a crash would) and start again on the same ports. */
  restart(): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`Kamailio did not open port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startKamailio(users: SipUser[], options: KamailioOptions = {}): Promise<RunningKamailio> {
  const gatewayAddr = options.gatewayAddr ?? '127.0.0.1';
  // It lands in a quoted string of the config: only a plain address may go there.
  if (net.isIP(gatewayAddr) === 0) throw new Error(`bad gateway address: ${gatewayAddr}`);
  const rtpengineSocket = options.rtpengineSocket;
  if (rtpengineSocket !== undefined && !/^udp:127\.0\.0\.1:\d{1,5}$/.test(rtpengineSocket)) throw new Error(`bad rtpengine socket: ${rtpengineSocket}`);
  const bin = process.env.KAMAILIO_PATH ?? '/usr/sbin/kamailio';
  if (!fs.existsSync(bin)) throw new Error('Kamailio is not installed (Debian packages kamailio, kamailio-websocket-modules)');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-kamailio-'));
  const wsPort = await freePort();
  const udpPort = await freePort();
  const queue = options.queue;
  const evapiPort = queue ? await freePort() : undefined;
  if (queue && !queue.lines.every((l) => /^[0-9A-Za-z*#+-]{1,32}$/.test(l))) throw new Error('bad queue line');
  const holdMs = queue?.holdMs ?? 600_000;
  if (!Number.isInteger(holdMs) || holdMs < 1000) throw new Error('bad queue hold time');
  const usersCfg = users
    .map((u) => {
      if (!/^[A-Za-z0-9_.-]+$/.test(u.user) || /["\\\n]/.test(u.password)) throw new Error('bad test user');
      return `\t$sht(users=>${u.user}) = "${u.password}";`;
    })
    .join('\n');
  const cfg = fs
    .readFileSync(path.join(REPO_ROOT, 'e2e/sip/kamailio.cfg.tpl'), 'utf8')
    .replaceAll('@WS_PORT@', String(wsPort))
    .replaceAll('@UDP_PORT@', String(udpPort))
    .replaceAll('@RUN_DIR@', runDir)
    .replaceAll('@GATEWAY_ADDR@', gatewayAddr)
    .replaceAll('@DOMAIN@', '127.0.0.1')
    .replace('@RTPENGINE_DEFINE@', rtpengineSocket ? '#!define WITH_RTPENGINE' : '# (no rtpengine in this suite)')
    .replaceAll('@RTPENGINE_SOCK@', rtpengineSocket ?? '')
    .replace('@QUEUE_DEFINE@', queue ? '#!define WITH_QUEUE' : '# (no call distribution in this suite)')
    .replaceAll('@EVAPI_PORT@', String(evapiPort ?? 0))
    .replaceAll('@QUEUE_HOLD_MS@', String(holdMs))
    .replace('@QUEUE_LINES@', (queue?.lines ?? []).map((l) => `\t$sht(qlines=>${l}) = 1;`).join('\n'))
    .replace('@USERS@', usersCfg);
  const cfgFile = path.join(runDir, 'kamailio.cfg');
  fs.writeFileSync(cfgFile, cfg);
  execFileSync(bin, ['-c', '-f', cfgFile], { stdio: 'pipe' });

  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    child = spawn(bin, ['-f', cfgFile, '-DD', '-E', '-Y', runDir, '-P', path.join(runDir, 'kamailio.pid'), '-m', '64', '-M', '8'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Kamailio forks workers that hold the sockets, and a "crash" must take them all.
      detached: true,
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitForPort(wsPort);
    if (evapiPort) await waitForPort(evapiPort);
  };
  const stopWith = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      try {
        process.kill(-c.pid!, signal);
      } catch {
        c.kill(signal);
      }
    });
    // Wait until no worker of the group is left holding the ports.
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(-c.pid!, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    child = undefined;
  };
  await start();
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    udpPort,
    evapiPort,
    domain: '127.0.0.1',
    gatewayAddr,
    runDir,
    log: () => output,
    registerCount: (user) => output.split('\n').filter((l) => l.includes(`REGISTER from ${user} `)).length,
    start,
    kill: () => stopWith('SIGKILL'),
    async restart() {
      await stopWith('SIGKILL');
      await start();
    },
    async stop() {
      await stopWith('SIGTERM');
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
