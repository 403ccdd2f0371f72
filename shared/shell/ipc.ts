/** IPC for the application shell: window, tray, notifications, power, system events. */
import { z } from 'zod';
import { defineEvent, defineInvoke } from '../ipc/contract';
import { agentStatusSchema } from '../agent/state';

const text = (max: number) => z.string().max(max);

export const appInfoSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    /** 'electron' in the desktop app; 'bridge' when the renderer runs in Chromium behind the dev/e2e bridge. */
    runtime: z.enum(['electron', 'bridge']),
    platform: z.string(),
    versions: z.record(z.string(), z.string()),
  })
  .strict();
export type AppInfo = z.infer<typeof appInfoSchema>;

export const shellIpc = {
  info: defineInvoke('shell:info', z.undefined(), appInfoSchema),
  /** Restore, show and focus the main window (e.g. an incoming call while minimised). */
  focusWindow: defineInvoke('shell:focusWindow', z.undefined(), z.null()),
  notify: defineInvoke(
    'shell:notify',
    z
      .object({
        title: text(120),
        body: text(500),
        /** Bring the window to front when the notification is clicked. */
        focusOnClick: z.boolean().optional(),
        urgency: z.enum(['normal', 'critical']).optional(),
      })
      .strict(),
    z.object({ shown: z.boolean() }).strict(),
  ),
  /** The agent's state, reflected by the tray icon colour and tooltip. */
  setAgentStatus: defineInvoke('shell:setAgentStatus', agentStatusSchema, z.null()),
  /** While a call is up the machine must not sleep or throttle the app. */
  setCallActive: defineInvoke('shell:setCallActive', z.object({ active: z.boolean() }).strict(), z.null()),
  onResume: defineEvent('shell:resumed', z.object({ at: z.number().int() }).strict()),
  /** The tray menu asked for an agent state change. */
  onAgentStateRequested: defineEvent('shell:agentStateRequested', z.object({ state: z.enum(['ready', 'notReady']) }).strict()),
} as const;
