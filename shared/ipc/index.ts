/** The whole renderer ↔ main API, one entry per domain. */
import { appIpc } from '../shell/ipc';
import type { WorkstationApi } from './contract';
import { logIpc } from '../logging/ipc';
import { secretsIpc } from '../secrets/ipc';
import { settingsIpc } from '../settings/ipc';
import { shortcutsIpc } from '../shortcuts/ipc';
import { platformIpc } from '../session/ipc';
import { sipIpc } from '../phone/ipc';

export const workstationApi = {
  app: appIpc,
  settings: settingsIpc,
  secrets: secretsIpc,
  shortcuts: shortcutsIpc,
  log: logIpc,
  platform: platformIpc,
  sip: sipIpc,
} as const;

export type Workstation = WorkstationApi<typeof workstationApi>;

/** The name under which the preload exposes the API on `window`. */
export const API_GLOBAL = 'workstation';
