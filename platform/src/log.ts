/**
 * The platform's log: JSON lines, every message and context redacted (phone numbers, ID numbers,
 * SIP users, credentials). Request logs carry the route, status and duration — never bodies or
 * query strings.
 */
import { redactText, redactValue } from '../../shared/base/redact';
import { toShanghaiIso } from '../../shared/base/shanghai-time';

export type PlatformLog = (level: 'info' | 'warn' | 'error', msg: string, ctx?: Record<string, unknown>) => void;

export function createPlatformLog(write: (line: string) => void = (l) => process.stdout.write(l)): PlatformLog {
  return (level, msg, ctx) => {
    const entry: Record<string, unknown> = { t: toShanghaiIso(Date.now()), level, msg: redactText(msg) };
    if (ctx) entry.ctx = redactValue(ctx);
    write(JSON.stringify(entry) + '\n');
  };
}
