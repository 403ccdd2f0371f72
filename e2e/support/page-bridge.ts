/**
 * The page side of the Chromium bridge: builds `window.workstation` with the same `buildApi` and
 * declarations as the real preload, over Playwright bindings instead of ipcRenderer. Bundled with
 * esbuild and injected as an init script (see bridge.ts).
 */
import { buildApi } from '../../shared/ipc/contract';
import { API_GLOBAL, workstationApi } from '../../shared/ipc';

type Listener = (payload: unknown) => void;

declare global {
  interface Window {
    __wsInvoke(channel: string, request: string | undefined): Promise<string | undefined>;
    __wsEmit(channel: string, payload: unknown): void;
  }
}

const listeners = new Map<string, Set<Listener>>();

window.__wsEmit = (channel, payload) => {
  for (const l of listeners.get(channel) ?? []) {
    try {
      l(payload);
    } catch (error) {
      console.error(error);
    }
  }
};

const api = buildApi(workstationApi, {
  // JSON text across the binding, as cheap as Electron's structured clone: Playwright's own
  // serialisation of a large object (a push of 100 orders) costs tens of milliseconds each way.
  invoke: async (channel, request) => {
    const answer = await window.__wsInvoke(channel, request === undefined ? undefined : JSON.stringify(request));
    return answer === undefined ? undefined : JSON.parse(answer);
  },
  subscribe: (channel, listener) => {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
});

Object.defineProperty(window, API_GLOBAL, { value: api, writable: false, configurable: false, enumerable: true });
