import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineInvoke } from '../../shared/ipc/contract';
import { IpcRegistry, originOf } from '../../main/ipc/registry';
import { channelError, DomainError } from '../../main/ipc/service';
import { createLogger, MemorySink } from '../../main/logging/logger';

const ORIGIN = 'app://workstation';
const APP_FRAME = { url: 'app://workstation/index.html', isTopFrame: true };
const echo = defineInvoke('test:echo', z.object({ text: z.string().max(5) }).strict(), z.object({ text: z.string() }));
const broken = defineInvoke('test:broken', z.undefined(), z.object({ n: z.number() }));
const domainFail = defineInvoke('test:domainFail', z.undefined(), z.null(), { errors: ['secrets_unavailable'] });
const undeclaredFail = defineInvoke('test:undeclaredFail', z.undefined(), z.null(), { errors: ['declared_code'] });
const crash = defineInvoke('test:crash', z.undefined(), z.null());

function setup() {
  const sink = new MemorySink();
  const registry = new IpcRegistry(ORIGIN, createLogger(sink));
  registry.handle(echo, ({ text }) => ({ text }));
  registry.handle(broken, () => ({ n: 'not a number' }) as never);
  registry.handle(domainFail, () => {
    throw channelError(domainFail, 'secrets_unavailable', 'No secure storage');
  });
  registry.handle(undeclaredFail, () => {
    throw new DomainError('some_other_code', 'not declared by the channel');
  });
  registry.handle(crash, () => {
    throw new Error('ENOENT: /home/agent/13812345678.json');
  });
  return { registry, sink };
}

describe('IPC registry', () => {
  it('answers a valid request from the app window', async () => {
    const { registry } = setup();
    expect(await registry.dispatch('test:echo', { text: 'hi' }, APP_FRAME)).toEqual({ ok: true, value: { text: 'hi' } });
  });

  it('refuses a foreign frame: another origin, or an iframe of the app', async () => {
    const { registry, sink } = setup();
    for (const sender of [
      { url: 'https://evil.example/index.html', isTopFrame: true },
      { url: 'app://workstation.evil/index.html', isTopFrame: true },
      { url: 'file:///tmp/index.html', isTopFrame: true },
      { url: 'app://workstation/index.html', isTopFrame: false },
      { url: '', isTopFrame: true },
    ]) {
      const res = await registry.dispatch('test:echo', { text: 'hi' }, sender);
      expect(res).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    }
    expect(sink.entries.filter((e) => /foreign frame/.test(e.message))).toHaveLength(5);
  });

  it('refuses unknown channels', async () => {
    const { registry } = setup();
    expect(await registry.dispatch('test:nope', {}, APP_FRAME)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await registry.dispatch(42, {}, APP_FRAME)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('rejects an invalid payload with a typed error listing paths, and logs it without values', async () => {
    const { registry, sink } = setup();
    const res = await registry.dispatch('test:echo', { text: '13812345678', extra: 1 }, APP_FRAME);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('invalid_payload');
    expect(res.error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['text']));
    const entry = sink.entries.find((e) => /invalid IPC payload/.test(e.message));
    expect(entry?.context).toMatchObject({ channel: 'test:echo' });
    expect(JSON.stringify(sink.entries)).not.toContain('13812345678');
  });

  it('passes domain errors through and hides internal ones', async () => {
    const { registry, sink } = setup();
    expect(await registry.dispatch('test:domainFail', undefined, APP_FRAME)).toEqual({
      ok: false,
      error: { code: 'secrets_unavailable', message: 'No secure storage' },
    });
    const res = await registry.dispatch('test:crash', undefined, APP_FRAME);
    expect(res).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
    expect(JSON.stringify(sink.entries)).not.toContain('13812345678');
  });

  it('answers an error code the channel does not declare as internal, and logs it', async () => {
    const { registry, sink } = setup();
    expect(await registry.dispatch('test:undeclaredFail', undefined, APP_FRAME)).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
    expect(sink.entries.find((e) => /undeclared error code/.test(e.message))?.context).toMatchObject({ channel: 'test:undeclaredFail', code: 'some_other_code' });
  });

  it('refuses error codes that clash with the generic ones or break the pattern', () => {
    expect(() => defineInvoke('test:bad', z.undefined(), z.null(), { errors: ['internal'] })).toThrow(/bad error code/);
    expect(() => defineInvoke('test:bad', z.undefined(), z.null(), { errors: ['Not-Snake'] })).toThrow(/bad error code/);
  });

  it('registers a domain service: every handler on its declared channel', async () => {
    const sink = new MemorySink();
    const registry = new IpcRegistry(ORIGIN, createLogger(sink));
    const ipc = { echo, crash } as const;
    registry.register({ ipc, handlers: { echo: ({ text }) => ({ text: text.toUpperCase() }), crash: () => null } });
    expect(registry.channels()).toEqual(['test:crash', 'test:echo']);
    expect(await registry.dispatch('test:echo', { text: 'ok' }, APP_FRAME)).toEqual({ ok: true, value: { text: 'OK' } });
    expect(() => registry.register({ ipc: { echo }, handlers: { echo: ({ text }) => ({ text }) } })).toThrow(/handled twice/);
  });

  it('refuses to return a reply that breaks the declared response schema', async () => {
    const { registry } = setup();
    expect(await registry.dispatch('test:broken', undefined, APP_FRAME)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('will not bind a channel twice', () => {
    const { registry } = setup();
    expect(() => registry.handle(echo, ({ text }) => ({ text }))).toThrow(/twice/);
  });

  it('computes origins of custom schemes', () => {
    expect(originOf('app://workstation/index.html')).toBe('app://workstation');
    expect(originOf('http://app.test/x')).toBe('http://app.test');
    expect(originOf('about:blank')).toBeUndefined();
    expect(originOf('garbage')).toBeUndefined();
  });
});
