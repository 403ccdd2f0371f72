/**
 * 通话诊断: what the media diagnostics counted in this run of the workstation (call-metrics-store):
 * no-audio warnings shown (by reason), media retries the agent asked for, holds / resumes the far
 * end refused. Read-only, for the agent and the administrator helping them with "no sound" calls;
 * the same events are in the log with their details.
 */
import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useCallMetricsStore, type MediaDiagnostics, type NoMediaReasonCounts } from './call-metrics-store';
import type { NoMediaReason } from '../../../shared/phone/media-watchdog';

const REASONS: readonly NoMediaReason[] = ['noPackets', 'mediaStopped', 'iceDisconnected'];

/** The block, live: re-renders when a counter changes (not on the lines' twice-a-second samples). */
export function CallDiagnostics() {
  const counts = useCallMetricsStore(useShallow((s) => ({ diagnostics: s.diagnostics, noMediaReasons: s.noMediaReasons })));
  return <CallDiagnosticsView {...counts} />;
}

export function CallDiagnosticsView({ diagnostics: d, noMediaReasons }: { diagnostics: MediaDiagnostics; noMediaReasons: NoMediaReasonCounts }) {
  const { t } = useTranslation();
  const count = (key: string, n: number) => (
    <span data-testid={`diag-${key}`} data-count={n}>
      {n}
    </span>
  );
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      data-testid="call-diagnostics"
      title={t('call.diagnostics.title')}
      extra={<Typography.Text type="secondary">{t('call.diagnostics.scope')}</Typography.Text>}
      items={[
        {
          key: 'noMediaWarnings',
          label: t('call.diagnostics.noMediaWarnings'),
          children: (
            <>
              {count('noMediaWarnings', d.noMediaWarnings)}
              <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                {REASONS.map((r, i) => (
                  <span key={r}>
                    {i > 0 && ' · '}
                    {t(`call.diagnostics.reason.${r}`)} {count(`noMedia-${r}`, noMediaReasons[r])}
                  </span>
                ))}
              </Typography.Text>
            </>
          ),
        },
        { key: 'mediaRetries', label: t('call.diagnostics.mediaRetries'), children: count('mediaRetries', d.mediaRetries) },
        { key: 'holdRefusals', label: t('call.diagnostics.holdRefusals'), children: count('holdRefusals', d.holdRefusals) },
      ]}
    />
  );
}
