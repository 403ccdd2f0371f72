/** Root: loads settings through the bridge, then renders the shell in the agent's language. */
import { useEffect, useState } from 'react';
import { App as AntApp, ConfigProvider, Result, Spin, theme as antTheme } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import { I18nextProvider } from 'react-i18next';
import { i18n, applyLocale } from './i18n';
import { initSettings, useSettingsStore } from './settings/settings-store';
import { initAgent, setNotReady, setReady, toggleReady } from './agent/agent-store';
import { AppShell } from './shell/AppShell';
import type { ThemeConfig } from 'antd';
import { SignInScreen } from './session/SignInScreen';
import { initPlatform, usePlatformStore } from './session/session-store';
import { bridge } from './ipc/bridge';
import { createRendererLogger } from './logging/logger';
import { sipService } from './phone/sip-service';
import { focusedCall, useCallStore } from './phone/call-store';

/**
 * No motion and no click wave: a workstation used through 12-hour shifts wants a calm screen, and
 * every transition re-styles the page frame after frame while a call is being answered. The
 * theme objects are constants so that antd does not recompute its tokens on every render.
 */
const FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
const LIGHT_THEME: ThemeConfig = { algorithm: antTheme.defaultAlgorithm, token: { fontFamily: FONT, motion: false } };
const DARK_THEME: ThemeConfig = { algorithm: antTheme.darkAlgorithm, token: { fontFamily: FONT, motion: false } };
const NO_WAVE = { disabled: true };

const log = createRendererLogger('shell');

export function App() {
  const settings = useSettingsStore((s) => s.settings);
  const platform = usePlatformStore((s) => s.status);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const offs: (() => void)[] = [];
    let disposed = false;
    Promise.all([initSettings(), initPlatform()])
      .then((unsubscribes) => {
        if (disposed) unsubscribes.forEach((u) => u());
        else offs.push(...unsubscribes);
        initAgent();
      })
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
    const api = bridge();
    // Global shortcuts work while another application has focus (the agent may be typing elsewhere).
    const offShortcut = api.shortcuts.onTriggered(({ action }) => {
      const call = focusedCall(useCallStore.getState())?.state;
      const lines = sipService.lines;
      if (action === 'toggleReady') toggleReady();
      else if (action === 'answer') void lines.answer();
      else if (action === 'hangup') void lines.hangup();
      else if (action === 'hold') void lines.setHold(call?.kind !== 'held');
      else if (action === 'mute') lines.setMuted(!(call && 'muted' in call && call.muted));
      else log.debug('unhandled shortcut', { action });
    });
    const offTray = api.shell.onAgentStateRequested(({ state }) => (state === 'ready' ? setReady() : setNotReady('other')));
    return () => {
      disposed = true;
      offs.forEach((o) => o());
      offShortcut();
      offTray();
    };
  }, []);

  const locale = settings?.locale ?? 'zh-CN';
  useEffect(() => applyLocale(locale), [locale]);

  useEffect(() => {
    if (!settings || !platform) return;
    // Marks the moment the agent can use the shell (read by e2e tests and the start-up benchmark).
    document.documentElement.dataset.shellReady = 'true';
    performance.mark('shell-interactive');
  }, [settings, platform]);

  if (failure) {
    return <Result status="error" title="工作台无法启动 / The workstation could not start" subTitle={failure} />;
  }
  if (!settings || !platform) {
    return (
      <div className="boot">
        <Spin size="large" />
      </div>
    );
  }
  return (
    <I18nextProvider i18n={i18n}>
      <ConfigProvider
        locale={locale === 'zh-CN' ? zhCNLocale : enUSLocale}
        componentSize={settings.ui.compact ? 'small' : 'middle'}
        theme={settings.ui.theme === 'dark' ? DARK_THEME : LIGHT_THEME}
        wave={NO_WAVE}
      >
        <AntApp>
          {platform.state === 'signedOut' ? <SignInScreen /> : <AppShell theme={settings.ui.theme} />}
        </AntApp>
      </ConfigProvider>
    </I18nextProvider>
  );
}
