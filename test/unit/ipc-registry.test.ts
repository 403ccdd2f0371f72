import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, defineInvoke } from '../../shared/ipc/contract';
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

describe('IPC registry: refusals, their answers and their log entries', () => {
  const many = defineInvoke('test:many', z.object({ items: z.array(z.string()) }).strict(), z.null());
  const wide = defineInvoke('test:wide', z.undefined(), z.object({ a: z.number(), b: z.number(), c: z.number(), d: z.number(), e: z.number(), f: z.number(), g: z.number() }));
  const deep = defineInvoke('test:deep', z.undefined(), z.object({ outer: z.object({ inner: z.number() }) }));

  function setupMore() {
    const { registry, sink } = setup();
    registry.handle(many, () => null);
    registry.handle(wide, () => ({}) as never);
    registry.handle(deep, () => ({ outer: { inner: 'x' } }) as never);
    return { registry, sink };
  }
  const logged = (sink: MemorySink, message: string) => sink.entries.filter((e) => e.message === message);

  it('an unknown channel: a fixed answer, and the log names the channel (cut to 64 characters) or its type', async () => {
    const { registry, sink } = setup();
    const long = `test:${'x'.repeat(100)}`;
    expect(await registry.dispatch(long, {}, APP_FRAME)).toEqual({ ok: false, error: { code: 'unknown_channel', message: 'Unknown IPC channel' } });
    expect(await registry.dispatch(42, {}, APP_FRAME)).toEqual({ ok: false, error: { code: 'unknown_channel', message: 'Unknown IPC channel' } });
    expect(logged(sink, 'refused unknown IPC channel')).toEqual([
      expect.objectContaining({ level: 'warn', module: 'ipc', context: { channel: long.slice(0, 64) } }),
      expect.objectContaining({ level: 'warn', module: 'ipc', context: { channel: 'number' } }),
    ]);
  });

  it('a foreign frame: a fixed answer, and the log names channel, origin (or "invalid") and frame kind', async () => {
    const { registry, sink } = setup();
    const forbidden = { ok: false, error: { code: 'forbidden_sender', message: 'IPC is only accepted from the workstation window' } };
    expect(await registry.dispatch('test:echo', { text: 'hi' }, { url: 'https://evil.example/x.html', isTopFrame: true })).toEqual(forbidden);
    expect(await registry.dispatch('test:echo', { text: 'hi' }, { url: 'not a url', isTopFrame: true })).toEqual(forbidden);
    expect(await registry.dispatch('test:echo', { text: 'hi' }, { url: 'app://workstation/index.html', isTopFrame: false })).toEqual(forbidden);
    expect(logged(sink, 'refused IPC from a foreign frame').map((e) => [e.level, e.module, e.context])).toEqual([
      ['warn', 'ipc', { channel: 'test:echo', origin: 'https://evil.example', isTopFrame: true }],
      ['warn', 'ipc', { channel: 'test:echo', origin: 'invalid', isTopFrame: true }],
      ['warn', 'ipc', { channel: 'test:echo', origin: 'app://workstation', isTopFrame: false }],
    ]);
  });

  it('an invalid payload: the answer names the channel and dotted field paths, "(root)" for the payload itself', async () => {
    const { registry, sink } = setupMore();
    expect(await registry.dispatch('test:echo', 'not an object', APP_FRAME)).toEqual({
      ok: false,
      error: { code: 'invalid_payload', message: 'Invalid request for test:echo', issues: [{ path: '(root)', message: expect.any(String) }] },
    });
    const res = await registry.dispatch('test:many', { items: ['a', 1] }, APP_FRAME);
    expect(res).toEqual({
      ok: false,
      error: { code: 'invalid_payload', message: 'Invalid request for test:many', issues: [{ path: 'items.1', message: expect.any(String) }] },
    });
    expect(logged(sink, 'rejected invalid IPC payload').map((e) => e.context)).toEqual([
      { channel: 'test:echo', issues: [{ path: '(root)', message: expect.any(String) }] },
      { channel: 'test:many', issues: [{ path: 'items.1', message: expect.any(String) }] },
    ]);
  });

  it('an invalid payload with many faults lists at most 20 of them', async () => {
    const { registry } = setupMore();
    const res = await registry.dispatch('test:many', { items: Array.from({ length: 30 }, (_, i) => i) }, APP_FRAME);
    if (res.ok) throw new Error('expected a refusal');
    expect(res.error.issues).toHaveLength(20);
    expect(res.error.issues?.[19]?.path).toBe('items.19');
  });

  it('a reply that breaks its contract: a generic answer; the log lists at most 5 dotted paths, no values', async () => {
    const { registry, sink } = setupMore();
    const internal = { ok: false, error: { code: 'internal', message: 'Internal error' } };
    expect(await registry.dispatch('test:broken', undefined, APP_FRAME)).toEqual(internal);
    expect(await registry.dispatch('test:wide', undefined, APP_FRAME)).toEqual(internal);
    expect(await registry.dispatch('test:deep', undefined, APP_FRAME)).toEqual(internal);
    expect(logged(sink, 'IPC handler returned a reply that breaks its contract').map((e) => [e.level, e.module, e.context])).toEqual([
      ['error', 'ipc', { channel: 'test:broken', issues: ['n'] }],
      ['error', 'ipc', { channel: 'test:wide', issues: ['a', 'b', 'c', 'd', 'e'] }],
      ['error', 'ipc', { channel: 'test:deep', issues: ['outer.inner'] }],
    ]);
  });

  it('a declared domain error is logged as a warning with channel and code', async () => {
    const { registry, sink } = setup();
    await registry.dispatch('test:domainFail', undefined, APP_FRAME);
    expect(logged(sink, 'IPC request failed').map((e) => [e.level, e.module, e.context])).toEqual([
      ['warn', 'ipc', { channel: 'test:domainFail', code: 'secrets_unavailable' }],
    ]);
  });

  it('a handler that throws is logged as an error with the channel and the (redacted) error', async () => {
    const { registry, sink } = setup();
    await registry.dispatch('test:crash', undefined, APP_FRAME);
    expect(logged(sink, 'IPC handler threw').map((e) => [e.level, e.module, e.context])).toEqual([
      ['error', 'ipc', { channel: 'test:crash', error: { name: 'Error', message: 'ENOENT: /home/agent/[PHONE].json' } }],
    ]);
  });

  it('refuses to register a service handler its IPC declaration does not define as an invoke channel', () => {
    const registry = new IpcRegistry(ORIGIN, createLogger(new MemorySink()));
    const pushed = defineEvent('test:pushed', z.null());
    const service = { ipc: { echo, pushed }, handlers: { echo: ({ text }: { text: string }) => ({ text }), pushed: () => null } };
    expect(() => registry.register(service as never)).toThrow('service handles pushed, which its IPC declaration does not define');
    const missing = { ipc: {}, handlers: { ghost: () => null } };
    expect(() => registry.register(missing as never)).toThrow('service handles ghost, which its IPC declaration does not define');
  });
});
