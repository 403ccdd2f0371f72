import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiShape, eventChannels, invokeChannels } from '../../shared/ipc/contract';
import { API_GLOBAL, workstationApi } from '../../shared/ipc';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null }));
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
  ipcRenderer: { invoke: (...a: unknown[]) => invoke(...a), on: (...a: unknown[]) => on(...a), removeListener: (...a: unknown[]) => removeListener(...a) },
}));

type AnyApi = Record<string, Record<string, (...a: unknown[]) => unknown>>;

describe('preload', () => {
  beforeEach(async () => {
    exposed.clear();
    vi.resetModules();
    await import('../../preload/index');
  });

  it('exposes one named API and nothing else', () => {
    expect([...exposed.keys()]).toEqual([API_GLOBAL]);
    const api = exposed.get(API_GLOBAL) as AnyApi;
    const expected = Object.entries(workstationApi).flatMap(([d, defs]) => Object.keys(defs).map((m) => `${d}.${m}:function`));
    expect(apiShape(api)).toEqual(expected.sort());
    expect(Object.isFrozen(api)).toBe(true);
    // No raw ipcRenderer or generic send/invoke escape hatch.
    expect(JSON.stringify(apiShape(api))).not.toMatch(/ipcRenderer|\.send:|\.invoke:/);
  });

  it('invokes exactly the declared channel with the payload', async () => {
    const api = exposed.get(API_GLOBAL) as AnyApi;
    await api.settings!.set!({ section: 'locale', value: 'en-US' });
    expect(invoke).toHaveBeenLastCalledWith('settings:set', { section: 'locale', value: 'en-US' });
    for (const [channel] of invokeChannels(workstationApi)) expect(channel).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('subscribes to declared event channels only and can unsubscribe', () => {
    const api = exposed.get(API_GLOBAL) as AnyApi;
    const listener = vi.fn();
    const off = api.settings!.onChanged!(listener) as () => void;
    const [channel, wrapped] = on.mock.lastCall as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe('settings:changed');
    expect(eventChannels(workstationApi).has(channel)).toBe(true);
    wrapped({ sender: 'event object must not leak' }, { locale: 'en-US' });
    expect(listener).toHaveBeenCalledWith({ locale: 'en-US' });
    off();
    expect(removeListener).toHaveBeenCalledWith('settings:changed', wrapped);
  });
});
