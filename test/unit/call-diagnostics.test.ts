/**
 * The call diagnostics (通话诊断 in Settings → 来电处理): what the metrics store counts — the legs'
 * counters and the no-media warnings by reason, one per warning shown — and the read-only block
 * that shows them, in both languages.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { i18n } from '../../renderer/src/i18n';
import { CallDiagnosticsView } from '../../renderer/src/phone/CallDiagnostics';
import { countDiagnostic, dropLineMetrics, getEmptyCallMetrics, setLineMetrics, useCallMetricsStore } from '../../renderer/src/phone/call-metrics-store';
import type { NoMediaReason } from '../../shared/phone/media-watchdog';

const sample = (id: string, noMedia?: NoMediaReason) => setLineMetrics(id, { farEndLevel: 0, ...(noMedia ? { noMedia } : {}) });
const reasons = () => useCallMetricsStore.getState().noMediaReasons;

describe('call diagnostics counters', () => {
  beforeEach(() => useCallMetricsStore.setState(getEmptyCallMetrics()));

  it('counts the legs’ diagnostics one by one', () => {
    countDiagnostic('noMediaWarnings');
    countDiagnostic('mediaRetries');
    countDiagnostic('mediaRetries');
    countDiagnostic('holdRefusals');
    expect(useCallMetricsStore.getState().diagnostics).toEqual({ noMediaWarnings: 1, mediaRetries: 2, holdRefusals: 1 });
  });

  it('counts a no-media warning by reason when it appears, not on every sample while it stays', () => {
    sample('a');
    sample('a', 'noPackets');
    sample('a', 'noPackets');
    sample('a', 'noPackets');
    expect(reasons()).toEqual({ noPackets: 1, mediaStopped: 0, iceDisconnected: 0 });
    // Another reason is another warning; audio back then gone again is a new one too.
    sample('a', 'iceDisconnected');
    sample('a');
    sample('a', 'mediaStopped');
    sample('a', 'mediaStopped');
    expect(reasons()).toEqual({ noPackets: 1, mediaStopped: 1, iceDisconnected: 1 });
  });

  it('counts each line on its own, and a line sampled again after it was dropped afresh', () => {
    sample('a', 'noPackets');
    sample('b', 'noPackets');
    sample('a', 'noPackets');
    expect(reasons().noPackets).toBe(2);
    dropLineMetrics('a');
    sample('a', 'noPackets');
    expect(reasons().noPackets).toBe(3);
    // The counters outlive the lines (they are this session's, not a call's).
    dropLineMetrics('a');
    dropLineMetrics('b');
    expect(reasons().noPackets).toBe(3);
    expect(useCallMetricsStore.getState().lines).toEqual({});
  });
});

describe('call diagnostics block', () => {
  beforeEach(() => useCallMetricsStore.setState(getEmptyCallMetrics()));
  const render = () => renderToStaticMarkup(createElement(CallDiagnosticsView, useCallMetricsStore.getState()));
  const countOf = (html: string, key: string) => html.match(new RegExp(`data-testid="diag-${key}" data-count="(\\d+)"`))?.[1];

  it('shows this session’s counts with their names (zh-CN)', async () => {
    await i18n.changeLanguage('zh-CN');
    countDiagnostic('noMediaWarnings');
    sample('a', 'mediaStopped');
    countDiagnostic('mediaRetries');
    countDiagnostic('holdRefusals');
    countDiagnostic('holdRefusals');
    const html = render();
    expect(html).toContain('data-testid="call-diagnostics"');
    for (const text of ['通话诊断', '自本次启动工作台以来', '无声音告警', '媒体重试', '保持/恢复被拒', '接通后无音频', '音频中断', '媒体连接中断']) expect(html).toContain(text);
    expect(countOf(html, 'noMediaWarnings')).toBe('1');
    expect(countOf(html, 'noMedia-mediaStopped')).toBe('1');
    expect(countOf(html, 'noMedia-noPackets')).toBe('0');
    expect(countOf(html, 'noMedia-iceDisconnected')).toBe('0');
    expect(countOf(html, 'mediaRetries')).toBe('1');
    expect(countOf(html, 'holdRefusals')).toBe('2');
  });

  it('is in English too, zeros at the start', async () => {
    await i18n.changeLanguage('en-US');
    try {
      const html = render();
      for (const text of ['Call diagnostics', 'No-audio warnings', 'Media retries', 'Hold/resume refused']) expect(html).toContain(text);
      for (const key of ['noMediaWarnings', 'mediaRetries', 'holdRefusals']) expect(countOf(html, key)).toBe('0');
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });
});
