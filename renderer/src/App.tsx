/** Root: loads settings through the bridge, then renders the shell in the agent's language. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { App as AntApp, ConfigProvider, Result, Spin, theme as antTheme } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import { I18nextProvider } from 'react-i18next';
import { i18n, applyLocale } from './i18n';
import { initSettings, useSettingsStore } from './settings/settings-store';
import { adoptStateSet, initAgent, setNotReady, setReady } from './agent/agent-store';
import { AppShell } from './shell/AppShell';
import type { ThemeConfig } from 'antd';
import { initSession, useSessionStore } from './session/session-store';
import { bridge } from './ipc/bridge';
import { followGlobalShortcuts } from './shortcuts/global-shortcuts';
import { followShift } from './shell/shift';

/**
 * No motion and no click wave: a workstation used through 12-hour shifts wants a calm screen, and
 * every transition re-styles the page frame after frame while a call is being answered. The
 * theme objects are constants so that antd does not recompute its tokens on every render.
 */
const FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
const LIGHT_THEME: ThemeConfig = { algorithm: antTheme.defaultAlgorithm, token: { fontFamily: FONT, motion: false } };
const DARK_THEME: ThemeConfig = { algorithm: antTheme.darkAlgorithm, token: { fontFamily: FONT, motion: false } };
const NO_WAVE = { disabled: true };

// Loaded only when nobody is signed in: an agent resuming a session never needs its code.
const SignInScreen = lazy(() => import('./session/SignInScreen').then((m) => ({ default: m.SignInScreen })));

export function App() {
  const settings = useSettingsStore((s) => s.settings);
  const platform = useSessionStore((s) => s.status);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const offs: (() => void)[] = [];
    let disposed = false;
    Promise.all([initSettings(), initSession()])
      .then((unsubscribes) => {
        if (disposed) unsubscribes.forEach((u) => u());
        else offs.push(...unsubscribes);
        initAgent();
      })
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
    const api = bridge();
    const offShortcut = followGlobalShortcuts();
    const offShift = followShift();
    const offTray = api.shell.onAgentStateRequested(({ state }) => (state === 'ready' ? setReady() : setNotReady('other')));
    // The platform set this agent Not ready (a call rang out, or a lead): adopt it and say why.
    const offStateSet = api.queue.onStateSet((s) => adoptStateSet(s));
    return () => {
      disposed = true;
      offs.forEach((o) => o());
      offShortcut();
      offShift();
      offTray();
      offStateSet();
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
          {platform.state === 'signedOut' ? (
            <Suspense fallback={<Spin size="large" className="boot" />}>
              <SignInScreen />
            </Suspense>
          ) : (
            <AppShell theme={settings.ui.theme} />
          )}
        </AntApp>
      </ConfigProvider>
    </I18nextProvider>
  );
}
