/**
 * What the call card says when the call's media is not what the screen would suggest: no audio
 * from the far end (the media watchdog, call-leg.ts) with what to do — retry (re-INVITE with an
 * ICE restart) or hang up —, and a hold or resume the far end refused, with its SIP code.
 */
import { useState } from 'react';
import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { noMediaOf, useCallMetricsStore } from './call-metrics-store';
import { useCallStore } from './call-store';
import { useSettingsStore } from '../settings/settings-store';
import { sipService } from './sip-service';

export function MediaWarning({ id }: { id: string }) {
  const { t } = useTranslation();
  const noMedia = useCallMetricsStore(noMediaOf(id));
  const refusal = useCallStore((s) => {
    const state = s.calls.find((c) => c.id === id)?.state;
    return state && (state.kind === 'active' || state.kind === 'held') ? state.holdRefused : undefined;
  });
  const seconds = useSettingsStore((s) => s.settings?.calls.noMediaWarningS ?? 2);
  const [retry, setRetry] = useState<'idle' | 'retrying' | 'failed'>('idle');
  const onRetry = async () => {
    setRetry('retrying');
    setRetry((await sipService.lines.retryMedia(id)) ? 'idle' : 'failed');
  };
  return (
    <>
      {noMedia && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="no-media-warning"
          data-reason={noMedia}
          message={t('call.noMedia.title')}
          description={
            <Space direction="vertical" size={4}>
              <span>{t(`call.noMedia.${noMedia}`, { seconds })}</span>
              <span>{retry === 'retrying' ? t('call.noMedia.retrying') : retry === 'failed' ? t('call.noMedia.retryFailed') : t('call.noMedia.advice')}</span>
              <Space>
                <Button size="small" type="primary" loading={retry === 'retrying'} onClick={() => void onRetry()} data-testid="no-media-retry">
                  {t('call.noMedia.retry')}
                </Button>
                <Button size="small" danger onClick={() => void sipService.lines.hangup(id)} data-testid="no-media-hangup">
                  {t('call.noMedia.hangup')}
                </Button>
              </Space>
            </Space>
          }
        />
      )}
      {refusal && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="hold-refused"
          data-code={refusal.sipCode ?? ''}
          message={t(`call.holdRefused.${refusal.action}`) + (refusal.sipCode ? t('call.holdRefused.code', { code: refusal.sipCode }) : t('call.holdRefused.noAnswer'))}
        />
      )}
    </>
  );
}
