/** Connection to SIP, to the platform, and the time in Beijing. */
import { lazy, Suspense, useState } from 'react';
import { Badge, Button, Space, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRegistrationStore } from '../phone/registration-store';
import { useSessionStore } from '../session/session-store';
import { useSettingsStore } from '../settings/settings-store';
import { shanghaiTime } from '../../../shared/base/shanghai-time';
import { useNow } from '../ui/useNow';
import { syncNow, useOrdersStore } from '../orders/orders-store';
import { outboxLabel } from '../orders/form/labels';

// Loaded the first time the agent opens it: not on the start-up path.
const OutboxPanel = lazy(() => import('../orders/outbox/OutboxPanel').then((m) => ({ default: m.OutboxPanel })));
// The shift lead's live queue: loaded the first time a lead opens it.
const LeadView = lazy(() => import('../queue/LeadView').then((m) => ({ default: m.LeadView })));

/** 实时队列: shown to shift leads only. */
function LeadViewButton() {
  const { t } = useTranslation();
  const role = useSessionStore((s) => s.status?.user?.role);
  const theme = useSettingsStore((s) => s.settings?.ui.theme ?? 'light');
  const [view, setView] = useState<'never' | 'open' | 'closed'>('never');
  if (role !== 'lead') return null;
  return (
    <>
      <Button type="link" size="small" data-testid="open-lead-view" onClick={() => setView('open')} style={{ fontSize: 12, height: 'auto', padding: '0 4px' }}>
        {t('queue.open')}
      </Button>
      {view !== 'never' && (
        <Suspense fallback={null}>
          <LeadView open={view === 'open'} onClose={() => setView('closed')} theme={theme} />
        </Suspense>
      )}
    </>
  );
}

/** Beijing time; ticks on its own so that the rest of the bar renders only when it changes. */
function Clock() {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <span className="status-bar__clock" title={t('status.clock')}>
      {t('status.clock')} {shanghaiTime(now)}
    </span>
  );
}

/** The work-order outbox: 待同步 N · 需处理 N · 上次同步 HH:mm; a click pushes it now and opens the sync panel. Shown once orders are ready. */
function OutboxFigure() {
  const { t } = useTranslation();
  const ready = useOrdersStore((s) => s.status === 'ready');
  const sync = useOrdersStore((s) => s.sync);
  const [panel, setPanel] = useState<'never' | 'open' | 'closed'>('never');
  if (!ready) return null;
  const status = sync.failed > 0 ? 'error' : sync.pending > 0 ? 'warning' : 'success';
  const tip = [t('orders.outbox.syncNow'), sync.lastError, sync.others > 0 ? t('orders.outbox.others', { n: sync.others }) : undefined].filter(Boolean).join(' · ');
  return (
    <>
      <Tooltip title={tip}>
        <Button
          type="text"
          size="small"
          data-testid="status-outbox"
          data-pending={sync.pending}
          data-failed={sync.failed}
          data-others={sync.others}
          aria-label={`${t('orders.outbox.title')}：${outboxLabel(sync, t)}`}
          onClick={() => {
            try {
              syncNow();
            } catch {
              // The figure stays as it is; the sender reports its own problems in `sync.lastError`.
            }
            setPanel('open');
          }}
          style={{ fontSize: 12, height: 'auto', padding: '0 4px' }}
        >
          <Badge status={status} text={outboxLabel(sync, t)} />
        </Button>
      </Tooltip>
      {panel !== 'never' && (
        <Suspense fallback={null}>
          <OutboxPanel open={panel === 'open'} onClose={() => setPanel('closed')} />
        </Suspense>
      )}
    </>
  );
}

export function StatusBar() {
  const { t } = useTranslation();
  const sip = useRegistrationStore((s) => s.sip);
  const sipInsecure = useRegistrationStore((s) => s.sipInsecure);
  const platform = useSessionStore((s) => s.status);
  const sipStatus = sip === 'registered' ? 'success' : sip === 'failed' ? 'error' : sip === 'connecting' ? 'processing' : 'default';
  const platformState = platform?.state ?? 'signedOut';
  const platformStatus = platformState === 'online' ? 'success' : platformState === 'offline' ? 'warning' : 'default';
  return (
    <Space size="large" className="status-bar" data-testid="status-bar">
      <span data-testid="status-sip">
        <Badge status={sipStatus} text={`${t('status.sip')}：${t(`phone.registration.${sip}`)}`} />
        {sipInsecure && <Tooltip title={t('status.insecure')}> ⚠</Tooltip>}
      </span>
      <span data-testid="status-platform">
        <Tooltip title={platform?.baseUrl}>
          <Badge status={platformStatus} text={`${t('status.platform')}：${t(`session.${platformState}`)}`} />
        </Tooltip>
      </span>
      <OutboxFigure />
      <LeadViewButton />
      <Clock />
    </Space>
  );
}
