/**
 * What the call card says about transfers with context (shell chunk, small): how a transfer this
 * seat started stands (submitting the order, calling, three-way, connected, or failed with why and
 * the caller back), and the card of a transferred call's order, loaded only when a call has one.
 */
import { lazy, Suspense } from 'react';
import { Alert, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { attemptOf, useTransfersStore } from './transfer-store';

const loadTicketCard = () => import('./TicketCard');
const TicketCard = lazy(() => loadTicketCard().then((m) => ({ default: m.TicketCard })));

/** Load the order card's code ahead (when the page is idle), so a transferred call's first pop does not wait for it. */
export function prefetchTicketCard(): void {
  void loadTicketCard().catch(() => undefined);
}

/** The transfer of the focused call — the caller's call, or the consultation made for it. */
export function AttemptStatus({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const a = useTransfersStore((s) => attemptOf(s, callId));
  if (!a) return null;
  const target = `${a.targetNumber}${a.targetName ? ` ${a.targetName}` : ''}`;
  if (a.phase === 'failed') {
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginTop: 8 }}
        data-testid="transfer-attempt"
        data-phase={a.phase}
        data-reason={a.reason}
        title={t('transfers.attempt.failed', { target, reason: t(`phone.transferFailure.${a.reason ?? 'failed'}`) })}
        description={a.kind === 'attended' ? undefined : t('transfers.attempt.back')}
      />
    );
  }
  return (
    <div style={{ marginTop: 8 }}>
      <Tag color={a.phase === 'connected' ? 'success' : 'processing'} data-testid="transfer-attempt" data-phase={a.phase} data-context={a.ticketId ? (a.contextDelivered === false ? 'late' : 'with') : 'without'}>
        {a.reason === 'readOut' ? t('phone.transferFailure.readOut') : t(`transfers.attempt.${a.phase}`, { target })}
      </Tag>
      {a.contextDelivered === false && a.phase !== 'connected' && (
        <Tag color="warning" data-testid="transfer-context-late">
          {t('transfers.attempt.contextLate')}
        </Tag>
      )}
    </div>
  );
}

export function TicketSlot({ callId }: { callId: string }) {
  const has = useTransfersStore((s) => s.tickets[callId] !== undefined);
  if (!has) return null;
  return (
    <Suspense fallback={null}>
      <TicketCard callId={callId} />
    </Suspense>
  );
}
