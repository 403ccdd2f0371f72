/** The screen pop for the current call: who is calling (as plain text), which line, levels. */
import { Descriptions, Progress, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCallStore } from '../stores/call-store';

export function CallCard() {
  const { t } = useTranslation();
  const call = useCallStore((s) => s.call);
  const levels = useCallStore((s) => s.levels);
  if (!call) return null;
  const kind = call.state.kind === 'ringing' ? 'incoming' : call.state.kind;
  return (
    <div data-testid="call-card" data-call-state={call.state.kind}>
      <Tag color={kind === 'incoming' ? 'red' : kind === 'active' ? 'green' : 'default'} data-testid="call-state">
        {t(`call.${kind}`)}
      </Tag>
      <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('call.incoming')}>
          {/* Text only: a display name comes from outside and is never rendered as markup. */}
          <span data-testid="caller-name">{call.remoteName || t('call.unknownCaller')}</span>
          {call.remoteNumber && <span data-testid="caller-number"> {call.remoteNumber}</span>}
        </Descriptions.Item>
        {call.dialled && <Descriptions.Item label={t('call.dialled')}>{call.dialled}</Descriptions.Item>}
        <Descriptions.Item label={t('call.farEnd')}>
          <Progress percent={Math.round(levels.farEnd * 100)} size="small" showInfo={false} data-testid="far-end-level" data-level={levels.farEnd.toFixed(3)} />
        </Descriptions.Item>
        <Descriptions.Item label={t('call.mic')}>
          <Progress percent={Math.round(levels.mic * 100)} size="small" showInfo={false} data-testid="mic-level" data-level={levels.mic.toFixed(3)} />
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}
