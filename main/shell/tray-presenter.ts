/** What the tray shows for an agent status: icon colour and a localised tooltip and menu. */
import { AGENT_STATE_COLORS, type AgentStatus } from '../../shared/agent/state';
import type { Locale } from '../../shared/settings/schema';
import { discPng } from './state-icon';

const LABELS: Record<Locale, Record<AgentStatus['state'] | 'app' | 'show' | 'ready' | 'notReady' | 'quit', string>> = {
  'zh-CN': {
    app: '12345 坐席工作台',
    offline: '离线',
    ready: '就绪',
    notReady: '未就绪',
    afterCallWork: '话后整理',
    onCall: '通话中',
    show: '显示工作台',
    quit: '退出',
  },
  'en-US': {
    app: '12345 Agent Workstation',
    offline: 'Offline',
    ready: 'Ready',
    notReady: 'Not ready',
    afterCallWork: 'After-call work',
    onCall: 'On call',
    show: 'Show workstation',
    quit: 'Quit',
  },
};

export interface TrayView {
  icon: Buffer;
  color: string;
  tooltip: string;
  menu: { show: string; ready: string; notReady: string; quit: string };
}

export function presentTray(status: AgentStatus, locale: Locale, iconSize = 32): TrayView {
  const l = LABELS[locale];
  const color = AGENT_STATE_COLORS[status.state];
  return {
    icon: discPng(iconSize, color),
    color,
    tooltip: `${l.app} — ${l[status.state]}`,
    menu: { show: l.show, ready: l.ready, notReady: l.notReady, quit: l.quit },
  };
}
