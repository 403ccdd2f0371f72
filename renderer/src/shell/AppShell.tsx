/** The agent layout: softphone strip, work area, knowledge panel, status bar. */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { handleRegionKey } from './regions';
import { SoftphoneStrip } from '../phone/SoftphoneStrip';
import { WorkArea } from './WorkArea';
import { KnowledgePanel } from '../knowledge/KnowledgePanel';
import { StatusBar } from './StatusBar';
import { NoticeBanner } from './NoticeBanner';
import { useSoftphone } from '../phone/useSoftphone';
import { DeviceNotices } from '../phone/DeviceNotices';
import { useHeadsetButtons } from '../phone/headset/useHeadsetButtons';

// Drawers load when first opened: their code is not needed for the shell's first paint.
const SettingsDrawer = lazy(() => import('../settings/SettingsDrawer').then((m) => ({ default: m.SettingsDrawer })));
const CallLogDrawer = lazy(() => import('../phone/call-log/CallLogDrawer').then((m) => ({ default: m.CallLogDrawer })));

export function AppShell({ theme }: { theme: 'light' | 'dark' }) {
  const { t } = useTranslation();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [callLogOpen, setCallLogOpen] = useState(false);
  // Mounted from the first opening on (then kept, so closing does not unload them).
  const [settingsUsed, setSettingsUsed] = useState(false);
  const [callLogUsed, setCallLogUsed] = useState(false);
  const openSettings = useCallback(() => {
    setSettingsUsed(true);
    setSettingsOpen(true);
  }, []);
  const openCallLog = useCallback(() => {
    setCallLogUsed(true);
    setCallLogOpen(true);
  }, []);
  useSoftphone();
  useHeadsetButtons();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (handleRegionKey(event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={`shell shell--${theme}`} data-testid="shell">
      <a className="skip-link" href="#work-area">
        {t('app.skipToWork')}
      </a>
      <header className="shell__softphone" data-region="softphone" tabIndex={-1} aria-label={t('region.softphone')} role="region">
        <SoftphoneStrip onOpenSettings={openSettings} onOpenCallLog={openCallLog} />
      </header>
      <NoticeBanner />
      <DeviceNotices />
      <div className="shell__body">
        <main className="shell__work" id="work-area" data-region="workArea" tabIndex={-1} aria-label={t('region.workArea')}>
          <WorkArea />
        </main>
        <aside className="shell__knowledge" data-region="knowledge" tabIndex={-1} aria-label={t('region.knowledge')}>
          <KnowledgePanel />
        </aside>
      </div>
      <footer className="shell__status" data-region="statusBar" tabIndex={-1} aria-label={t('region.statusBar')} role="region">
        <StatusBar />
      </footer>
      <Suspense fallback={null}>
        {settingsUsed && <SettingsDrawer open={settingsOpen} onClose={() => setSettingsOpen(false)} />}
        {callLogUsed && <CallLogDrawer open={callLogOpen} onClose={() => setCallLogOpen(false)} />}
      </Suspense>
    </div>
  );
}
