/**
 * How the focused call's transfer is going: 转接中 (呼叫中 / 振铃中) while the target is called and
 * the caller waits on hold, then either the call ends as 已转接 (shown by the call card's end
 * reason) or the agent is told why it failed while the caller is back on the line.
 */
import { Alert, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { focusedCall, useCallStore } from './call-store';
import { isLive } from '../../../shared/phone/call-machine';

export function TransferStatus() {
  const { t } = useTranslation();
  const view = useCallStore(
    useShallow((s) => {
      const call = focusedCall(s);
      const tr = call?.transfer;
      if (!call || !tr || !isLive(call.state)) return undefined;
      const st = tr.state;
      return {
        target: tr.target,
        kind: st.kind,
        progress: st.kind === 'accepted' ? st.progress : 'trying',
        reason: st.kind === 'failed' ? st.reason : undefined,
        code: st.kind === 'failed' ? st.code : undefined,
      };
    }),
  );
  if (!view) return null;
  if (view.kind === 'requested' || view.kind === 'accepted') {
    return (
      <Tag color="processing" data-testid="transfer-status" data-transfer={view.kind} data-progress={view.progress} style={{ marginTop: 8 }}>
        {t('phone.transferStatus.pending', { target: view.target, progress: t(`phone.transferStatus.${view.progress}`) })}
      </Tag>
    );
  }
  if (view.kind === 'failed' && view.reason) {
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginTop: 8 }}
        data-testid="transfer-failed"
        data-reason={view.reason}
        message={t('phone.transferStatus.failed', { target: view.target, reason: t(`phone.transferFailure.${view.reason}`) })}
        description={view.code ? `SIP ${view.code}` : undefined}
      />
    );
  }
  return null;
}
