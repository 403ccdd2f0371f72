/** The agent layout: softphone strip, work area, knowledge panel, status bar. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { handleRegionKey } from './regions';
import { SoftphoneStrip } from '../softphone/SoftphoneStrip';
import { WorkArea } from '../workarea/WorkArea';
import { KnowledgePanel } from '../knowledge/KnowledgePanel';
import { StatusBar } from './StatusBar';
import { NoticeBanner } from './NoticeBanner';
import { SettingsDrawer } from '../settings/SettingsDrawer';
import { useSoftphone } from '../softphone/useSoftphone';
import { DeviceNotices } from '../softphone/DeviceNotices';
import { useHeadsetButtons } from '../softphone/headset/useHeadsetButtons';
import { CallLogDrawer } from '../calllog/CallLogDrawer';

export function AppShell({ theme }: { theme: 'light' | 'dark' }) {
  const { t } = useTranslation();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [callLogOpen, setCallLogOpen] = useState(false);
  const openSettings = useCallback(() => setSettingsOpen(true), []);
  const openCallLog = useCallback(() => setCallLogOpen(true), []);
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
      <SettingsDrawer open={settingsOpen} onClose={() => setSettingsOpen(false)} />
      <CallLogDrawer open={callLogOpen} onClose={() => setCallLogOpen(false)} />
    </div>
  );
}
