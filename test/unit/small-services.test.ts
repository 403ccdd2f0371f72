import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { discPng } from '../../main/shell/state-icon';
import { presentTray } from '../../main/shell/tray-presenter';
import { CrashLoopGuard } from '../../main/shell/crash-loop-guard';
import { PowerGuard } from '../../main/shell/power-guard';
import { formatDuration, shanghaiDate, toShanghaiIso } from '../../shared/base/shanghai-time';
import { AGENT_STATE_COLORS } from '../../shared/agent/state';
import { recordingPorts } from '../../e2e/support/edge-ports';

/** Decode our own unfiltered RGBA PNG enough to read the centre pixel. */
function centrePixel(png: Buffer, size: number): number[] {
  let offset = 8;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const len = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    if (type === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + len));
    offset += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const row = Math.floor(size / 2);
  const o = row * (size * 4 + 1) + 1 + Math.floor(size / 2) * 4;
  return [...raw.subarray(o, o + 4)];
}

describe('tray', () => {
  it('draws the state colour', () => {
    const png = discPng(16, '#52c41a');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(centrePixel(png, 16)).toEqual([0x52, 0xc4, 0x1a, 255]);
  });
  it('presents each state with its colour and a localised tooltip', () => {
    const view = presentTray({ state: 'onCall', since: 0 }, 'zh-CN', 16);
    expect(view.color).toBe(AGENT_STATE_COLORS.onCall);
    expect(view.tooltip).toContain('通话中');
    expect(centrePixel(view.icon, 16).slice(0, 3)).toEqual([0xf5, 0x22, 0x2d]);
    expect(presentTray({ state: 'ready', since: 0 }, 'en-US').tooltip).toContain('Ready');
  });
});

describe('crash loop guard', () => {
  it('reloads at once, then backs off while crashes repeat within the window', () => {
    const g = new CrashLoopGuard({ maxCrashes: 3, windowMs: 60_000 });
    expect([0, 1, 2, 3, 4].map((i) => g.recordCrash(1000 * i))).toEqual([0, 0, 0, 1000, 2000]);
    expect(g.recordCrash(10 * 60_000)).toBe(0);
  });
});

describe('power guard', () => {
  it('holds one blocker while a call is up', () => {
    const ports = recordingPorts();
    const p = new PowerGuard(ports.powerSaveBlocker);
    p.setCallActive(true);
    p.setCallActive(true);
    expect(ports.record.blockers.size).toBe(1);
    p.setCallActive(false);
    expect(ports.record.blockers.size).toBe(0);
    expect(p.active).toBe(false);
  });
});

describe('Shanghai time', () => {
  it('formats in UTC+8 regardless of the machine zone', () => {
    const t = Date.UTC(2026, 11, 31, 16, 30, 0);
    expect(toShanghaiIso(t)).toBe('2027-01-01T00:30:00.000+08:00');
    expect(shanghaiDate(t)).toBe('2027-01-01');
  });
  it('formats durations', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
  });
});
