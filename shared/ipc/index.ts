/** The whole renderer ↔ main API: one entry per domain, each declared in shared/<domain>/ipc.ts. */
import type { WorkstationApi } from './contract';
import { shellIpc } from '../shell/ipc';
import { settingsIpc } from '../settings/ipc';
import { secretsIpc } from '../secrets/ipc';
import { shortcutsIpc } from '../shortcuts/ipc';
import { loggingIpc } from '../logging/ipc';
import { sessionIpc } from '../session/ipc';
import { phoneIpc } from '../phone/ipc';
import { directoryIpc } from '../directory/ipc';
import { ordersIpc } from '../orders/ipc';
import { knowledgeIpc } from '../knowledge/ipc';
import { queueIpc } from '../queue/ipc';
import { transfersIpc } from '../transfers/ipc';

export const workstationApi = {
  shell: shellIpc,
  settings: settingsIpc,
  secrets: secretsIpc,
  shortcuts: shortcutsIpc,
  logging: loggingIpc,
  session: sessionIpc,
  phone: phoneIpc,
  directory: directoryIpc,
  orders: ordersIpc,
  knowledge: knowledgeIpc,
  queue: queueIpc,
  transfers: transfersIpc,
} as const;

export type WorkstationApiDef = typeof workstationApi;
export type Workstation = WorkstationApi<WorkstationApiDef>;

/** The name under which the preload exposes the API on `window`. */
export const API_GLOBAL = 'workstation';
