/** Small helpers for the suite's external programs (sipp, rtpengine): executables and free ports. */
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';

/** A regular file this process may execute. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A UDP port free on `addr` right now (the OS picks it; the program binds it next). */
export async function freeUdpPort(addr = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(addr) ? 'udp6' : 'udp4');
    sock.once('error', reject);
    sock.bind(0, addr, () => {
      const { port } = sock.address();
      sock.close(() => resolve(port));
    });
  });
}
