/** The whole renderer ↔ main API, one entry per domain. */
import { appIpc } from './app';
import type { WorkstationApi } from './contract';
import { logIpc } from './log';
import { secretsIpc } from './secrets';
import { settingsIpc } from './settings';
import { shortcutsIpc } from './shortcuts';
import { platformIpc } from './platform';
import { sipIpc } from './sip';

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
