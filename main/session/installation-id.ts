/**
 * A random id for this installation, created once: the platform's per-client sequence numbers
 * and idempotency keys are scoped by it. Not derived from the machine or the agent.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function installationId(userDataDir: string): string {
  const file = path.join(userDataDir, 'installation-id');
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    if (/^ws-[0-9a-f]{24}$/.test(id)) return id;
  } catch {
    // first start
  }
  const id = `ws-${crypto.randomBytes(12).toString('hex')}`;
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.writeFileSync(file, id, { mode: 0o600 });
  return id;
}
