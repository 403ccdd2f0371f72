/**
 * The receiving seat's pop for a transferred call (lazy chunk): the order the caller comes with,
 * fetched from the platform while it rings, or "context unavailable" and nothing else (a forged,
 * foreign or malformed ticket, or the platform down — with a retry). A seat records what it did
 * (办理情况) on the same order through its outbox; the transferring centre sees it.
 */
import { useState } from 'react';
import { Alert, Button, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { queueTicketRecord, whenDelivered } from '../orders/orders-store';
import { refetchTicket } from './ticket-follower';
import { useTransfersStore } from './transfer-store';
import { TicketContextView } from './TicketContextView';
import './transfers.css';

/** How long the card waits for a saved record to reach the platform before showing it from there. */
const HANDLING_SHOWN_WITHIN_MS = 10_000;

function HandlingForm({ callId, ticketId }: { callId: string; ticketId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    const value = text.trim();
    if (!value || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const id = await queueTicketRecord({ kind: 'ticket.handling', ticketId, handlingId: crypto.randomUUID(), handling: { text: value.slice(0, 2000), at: new Date().toISOString() } });
      setText('');
      setSaved(true);
      // Shown from the platform once it is there (the list is the platform's record).
      void whenDelivered([id], HANDLING_SHOWN_WITHIN_MS).then((delivered) => {
        if (delivered) void refetchTicket(callId);
      });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%', marginTop: 8 }}>
      <Input.TextArea
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setSaved(false);
        }}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={2000}
        placeholder={t('transfers.ticket.addHandling')}
        aria-label={t('transfers.ticket.addHandling')}
        data-testid="handling-text"
      />
      <Space size="small">
        <Button size="small" type="primary" disabled={!text.trim()} loading={busy} onClick={() => void save()} data-testid="handling-save">
          {t('transfers.ticket.save')}
        </Button>
        {saved && (
          <Typography.Text type="success" data-testid="handling-saved">
            {t('transfers.ticket.saved')}
          </Typography.Text>
        )}
      </Space>
      {problem && <Alert type="error" showIcon title={problem} />}
    </Space>
  );
}

export function TicketCard({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const view = useTransfersStore((s) => s.tickets[callId]);
  if (!view) return null;
  return (
    <div className="ticket-card" data-testid="ticket-card" data-state={view.state} data-reason={view.state === 'unavailable' ? view.reason : undefined}>
      <Typography.Text strong>{t('transfers.ticket.title')}</Typography.Text>
      {view.state === 'loading' && (
        <Typography.Text type="secondary" data-testid="ticket-loading">
          {' '}
          {t('transfers.ticket.loading')}
        </Typography.Text>
      )}
      {view.state === 'unavailable' && (
        <Alert
          type="warning"
          showIcon
          title={t(`transfers.ticket.unavailable.${view.reason}`)}
          data-testid="ticket-unavailable"
          action={
            view.reason !== 'malformed' && (
              <Button size="small" onClick={() => void refetchTicket(callId)} data-testid="ticket-retry">
                {t('transfers.ticket.retry')}
              </Button>
            )
          }
        />
      )}
      {view.state === 'ready' && (
        <>
          <TicketContextView context={view.context} />
          <HandlingForm callId={callId} ticketId={view.ticketId} />
        </>
      )}
    </div>
  );
}
