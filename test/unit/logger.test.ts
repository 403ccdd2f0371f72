import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, RotatingFileSink } from '../../main/logging/logger';
import { tmpDir } from '../helpers/tmp';

describe('rotating file logger', () => {
  it('writes JSON lines in Shanghai time with personal data and credentials redacted', () => {
    const dir = tmpDir();
    const sink = new RotatingFileSink({ dir, now: () => Date.UTC(2026, 10, 25, 1, 2, 3, 4) });
    const log = createLogger(sink, 'sip');
    log.info('INVITE from sip:13812345678@10.0.0.1 to 0755-83451234', {
      callerNumber: '13812345678',
      password: 'hunter2',
      attempt: 3,
      header: 'Authorization: Digest username="8001", response="abc"',
    });
    const text = fs.readFileSync(path.join(dir, 'main.log'), 'utf8');
    const entry = JSON.parse(text.trim());
    expect(entry.t).toBe('2026-11-25T09:02:03.004+08:00');
    expect(entry.module).toBe('sip');
    expect(entry.ctx.attempt).toBe(3);
    for (const secret of ['13812345678', '83451234', 'hunter2', 'Digest username']) expect(text).not.toContain(secret);
    expect(entry.msg).toContain('sip:[USER]@10.0.0.1');
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const dir = tmpDir();
    const sink = new RotatingFileSink({ dir, maxBytes: 1000, maxFiles: 3 });
    const log = createLogger(sink);
    for (let i = 0; i < 100; i++) log.info(`line ${i} ${'x'.repeat(80)}`);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['main.log', 'main.log.1', 'main.log.2']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(1000);
    expect(fs.readFileSync(path.join(dir, 'main.log'), 'utf8')).toContain('line 99');
  });

  it('drops entries below the minimum level', () => {
    const dir = tmpDir();
    const log = createLogger(new RotatingFileSink({ dir }), 'x', 'warn');
    log.info('quiet');
    log.warn('loud');
    const text = fs.readFileSync(path.join(dir, 'main.log'), 'utf8');
    expect(text).not.toContain('quiet');
    expect(text).toContain('loud');
  });
});
