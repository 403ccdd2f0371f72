/**
 * The preload: exposes `window.workstation`, a narrow API built from the declarations in
 * shared/ipc — named methods only, never ipcRenderer itself. Runs sandboxed (CommonJS bundle).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi } from '../shared/ipc/contract';
import { API_GLOBAL, workstationApi } from '../shared/ipc';

const api = buildApi(workstationApi, {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (channel, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld(API_GLOBAL, api);
