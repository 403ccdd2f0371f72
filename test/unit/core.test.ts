import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBridgeCore, BRIDGE_ORIGIN } from '../../e2e/support/bridge';
import { recordingPorts } from '../../e2e/support/edge-ports';
import { defaultSettings } from '../../shared/settings/schema';
import { tmpDir } from '../helpers/tmp';

const FRAME = { url: `${BRIDGE_ORIGIN}/index.html`, isTopFrame: true };

function setup() {
  const dir = tmpDir();
  const ports = recordingPorts();
  const events: [string, unknown][] = [];
  const { core, logFile } = createBridgeCore(dir, ports, crypto.randomBytes(32), (c, p) => events.push([c, p]));
  const call = (channel: string, payload?: unknown) => core.registry.dispatch(channel, payload, FRAME);
  return { dir, ports, events, core, logFile, call };
}

describe('workstation core', () => {
  it('handles every declared invoke channel', async () => {
    const { core } = setup();
    const { invokeChannels } = await import('../../shared/ipc/contract');
    const { workstationApi } = await import('../../shared/ipc');
    expect(core.registry.channels()).toEqual([...invokeChannels(workstationApi).keys()].sort());
  });

  it('re-registers global shortcuts when their settings change and tells the renderer', async () => {
    const { ports, events, call } = setup();
    events.length = 0;
    const res = await call('settings:set', { section: 'shortcuts', value: { ...defaultSettings().shortcuts, answer: 'F9' } });
    expect(res.ok).toBe(true);
    expect(ports.record.shortcuts.has('F9')).toBe(true);
    expect(ports.record.shortcuts.has('CommandOrControl+Shift+A')).toBe(false);
    expect(events.map(([c]) => c).filter((c) => !c.startsWith('session:'))).toEqual(['settings:changed', 'shortcuts:statusChanged']);
    ports.press('F9');
    expect(events.at(-1)).toEqual(['shortcuts:triggered', { action: 'answer' }]);
  });

  it('shows the agent state in the tray and blocks sleep during a call', async () => {
    const { ports, call } = setup();
    expect(ports.record.tray.at(-1)?.tooltip).toContain('离线');
    await call('shell:setAgentStatus', { state: 'onCall', since: Date.now() });
    expect(ports.record.tray.at(-1)?.color).toBe('#f5222d');
    await call('shell:setCallActive', { active: true });
    expect(ports.record.blockers.size).toBe(1);
    await call('shell:setCallActive', { active: false });
    expect(ports.record.blockers.size).toBe(0);
    await call('settings:set', { section: 'locale', value: 'en-US' });
    expect(ports.record.tray.at(-1)?.tooltip).toContain('On call');
  });

  it('stores the SIP password write-only and encrypted', async () => {
    const { dir, call } = setup();
    expect(await call('secrets:setSipPassword', { password: 'pa55-坐席' })).toEqual({ ok: true, value: { sipPasswordSet: true, protection: 'os' } });
    const raw = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    expect(raw).not.toContain('pa55');
    const status = await call('secrets:status');
    expect(JSON.stringify(status)).not.toContain('pa55');
  });

  it('writes renderer log entries redacted, under the renderer module', async () => {
    const { call, logFile } = setup();
    await call('logging:write', { level: 'warn', module: 'softphone', message: 'lost call from 13912345678', context: { phone: '13912345678' } });
    const text = fs.readFileSync(logFile, 'utf8');
    expect(text).toContain('"module":"renderer.softphone"');
    expect(text).not.toContain('13912345678');
  });

  it('notifies and focuses through the desktop ports', async () => {
    const { ports, call } = setup();
    expect(await call('shell:notify', { title: '来电', body: '12345 热线来电' })).toEqual({ ok: true, value: { shown: true } });
    await call('shell:focusWindow');
    expect(ports.record.notifications).toEqual([{ title: '来电', body: '12345 热线来电' }]);
    expect(ports.record.focusCount).toBe(1);
  });

  it('emits an event only when its payload matches the declared schema, and logs a refusal', async () => {
    const { core, events, logFile } = setup();
    const { workstationApi } = await import('../../shared/ipc');
    const onResume = workstationApi.shell.onResume;
    const refusals = () =>
      fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('refused to emit an event that breaks its contract'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    events.length = 0;

    core.emit(onResume, { at: 1_700_000_000_000 });
    expect(events).toEqual([[onResume.channel, { at: 1_700_000_000_000 }]]);
    expect(refusals()).toEqual([]);

    // Wrong type, a fraction where an integer is declared, an extra field the strict schema forbids.
    core.emit(onResume, { at: 'now' } as never);
    core.emit(onResume, { at: 1.5 });
    core.emit(onResume, { at: 1, phone: '13912345678' } as never);
    core.emit(workstationApi.shell.onAgentStateRequested, { state: 'onCall' } as never);
    expect(events).toEqual([[onResume.channel, { at: 1_700_000_000_000 }]]);
    const refused = refusals();
    expect(refused).toHaveLength(4);
    expect(refused.map((r) => [r.level, r.ctx])).toEqual([
      ['error', { channel: onResume.channel }],
      ['error', { channel: onResume.channel }],
      ['error', { channel: onResume.channel }],
      ['error', { channel: workstationApi.shell.onAgentStateRequested.channel }],
    ]);
    expect(fs.readFileSync(logFile, 'utf8')).not.toContain('13912345678');
  });
});
