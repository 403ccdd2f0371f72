/**
 * A ticket's context as the platform sent it: the order (number, state, title), the transferring
 * agent's summary, the request, the caller (masked), the transfers and the handling records, and
 * how many earlier orders the caller has. All of it is data: rendered as text, never markup.
 */
import { Descriptions, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TicketContext } from '../../../shared/transfers/routes';
import { shanghaiDate } from '../../../shared/base/shanghai-time';
import { hhmm } from '../orders/form/labels';

const when = (iso: string) => {
  const ms = Date.parse(iso);
  return `${shanghaiDate(ms)} ${hhmm(ms)}`;
};

export function TicketContextView({ context }: { context: TicketContext }) {
  const { t } = useTranslation();
  const o = context.order;
  const from = context.transfers.at(-1);
  return (
    <div data-testid="ticket-context" data-order-no={o.orderNo} data-status={o.status}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('orders.mine.orderNo')}>
          <Typography.Text code data-testid="ticket-order-no">
            {o.orderNo}
          </Typography.Text>{' '}
          <Tag data-testid="ticket-status">{t(`orders.mine.status.${o.status}`)}</Tag>
          {from && (
            <Typography.Text type="secondary" data-testid="ticket-from">
              {t('transfers.ticket.from', { by: from.byName, org: from.byOrg })}
            </Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('orders.form.fields.title')}>
          <span data-testid="ticket-title">{o.title}</span>
        </Descriptions.Item>
        {o.summary && (
          <Descriptions.Item label={t('transfers.ticket.summary')}>
            <span data-testid="ticket-summary">{o.summary}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('transfers.ticket.content')}>
          <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ margin: 0 }} data-testid="ticket-content">
            {o.content}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label={t('transfers.ticket.caller')}>
          <span data-testid="ticket-caller">{[o.caller.name, o.caller.phone].filter(Boolean).join(' ')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('transfers.ticket.transfers')}>
          <ul className="ticket-list" data-testid="ticket-transfers">
            {context.transfers.map((tr) => (
              <li key={tr.id} data-testid="ticket-transfer" data-outcome={tr.outcome} data-kind={tr.kind}>
                <span className="tabular">{when(tr.startedAt)}</span> {tr.byName} → {tr.targetNumber} {tr.targetName ?? ''} · {t(`transfers.kind.${tr.kind}`)} ·{' '}
                {t(`transfers.ticket.outcome.${tr.outcome}`)}
                {tr.reason ? `（${t(`phone.transferFailure.${tr.reason}`)}）` : ''}
              </li>
            ))}
          </ul>
        </Descriptions.Item>
        <Descriptions.Item label={t('transfers.ticket.handling')}>
          {context.handling.length === 0 ? (
            <Typography.Text type="secondary">{t('transfers.ticket.noHandling')}</Typography.Text>
          ) : (
            <ul className="ticket-list" data-testid="ticket-handling">
              {context.handling.map((h) => (
                <li key={h.id} data-testid="ticket-handling-record" data-org={h.byOrg}>
                  <span className="tabular">{when(h.at)}</span> {h.byName}（{h.byOrg}）：{h.text}
                </li>
              ))}
            </ul>
          )}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text type="secondary" data-testid="ticket-history" data-total={context.history.total}>
        {t('transfers.ticket.history', { n: context.history.total })}
      </Typography.Text>
    </div>
  );
}
