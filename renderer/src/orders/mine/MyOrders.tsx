/**
 * 我的工单: today's orders and the open drafts (useOrdersStore.myOrders), with their sync state
 * (待同步 / 已同步 / 需处理 and the problem). The search box searches locally (number, name, text)
 * 150 ms after the agent stops typing. An open draft opens in the form; a submitted order shows
 * its details read-only, from the list's own data.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Empty, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { activateDraft, orderEvents, reopenRefused, searchMyOrders, useOrdersStore, type LocalOrderView, type OrderEventView } from '../orders-store';
import { shanghaiDate } from '../../../../shared/base/shanghai-time';
import { hhmm, orderNoLabel, refusalText } from '../form/labels';
import { isComposing } from '../form/keys';
import { TODAY_LIMIT } from './my-orders';
import { callTicket, type TicketAnswer } from '../../transfers/ticket-fetch';
import { TicketContextView } from '../../transfers/TicketContextView';

const SEARCH_DELAY_MS = 150;

const SYNC_COLORS = { pending: 'gold', synced: 'green', failed: 'red' } as const;

function SyncTag({ order }: { order: LocalOrderView }) {
  const { t } = useTranslation();
  return (
    <Tag color={SYNC_COLORS[order.sync]} data-testid="my-order-sync" data-sync={order.sync}>
      {t(`orders.sync.${order.sync}`)}
    </Tag>
  );
}

function Details({ order, onBack, onFix }: { order: LocalOrderView; onBack: () => void; onFix: () => void }) {
  const { t } = useTranslation();
  return (
    <div data-testid="my-order-detail">
      <Button size="small" onClick={onBack} autoFocus data-testid="my-order-back">
        {t('orders.mine.back')}
      </Button>
      <Descriptions size="small" column={1} style={{ marginTop: 8 }} title={t('orders.mine.detail')}>
        <Descriptions.Item label={t('orders.mine.orderNo')}>{orderNoLabel(order, t)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.mine.time')}>
          {shanghaiDate(order.createdAt)} {hhmm(order.createdAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('orders.form.fields.title')}>{order.title}</Descriptions.Item>
        <Descriptions.Item label={t('orders.mine.caller')}>
          {[order.callerName, order.callerMasked].filter(Boolean).join(' ')}
        </Descriptions.Item>
        {order.requestType && <Descriptions.Item label={t('orders.form.fields.requestType')}>{t(`orders.form.requestType.${order.requestType}`)}</Descriptions.Item>}
        {order.categoryCode && <Descriptions.Item label={t('orders.form.fields.categoryCode')}>{order.categoryCode}</Descriptions.Item>}
        {order.disposition && <Descriptions.Item label={t('orders.form.fields.disposition')}>{t(`orders.form.disposition.${order.disposition}`)}</Descriptions.Item>}
        {order.status && <Descriptions.Item label={t('orders.mine.statusLabel')}>{t(`orders.mine.status.${order.status}`)}</Descriptions.Item>}
        {order.followUpOf && <Descriptions.Item label={t('orders.merge.title')}>{t('orders.mine.followUpOf', { orderNo: order.followUpOf })}</Descriptions.Item>}
        <Descriptions.Item label={t('orders.outbox.title')}>
          <SyncTag order={order} />
        </Descriptions.Item>
      </Descriptions>
      {order.sync === 'failed' && (
        <Alert
          type="error"
          showIcon
          title={t('orders.mine.error')}
          description={refusalText({ code: order.errorCode, fields: order.errorFields, message: order.error }, t)}
          data-testid="my-order-error"
          action={
            <Button size="small" danger onClick={onFix} data-testid="my-order-fix">
              {t('orders.mine.fix')}
            </Button>
          }
        />
      )}
      {order.sync === 'synced' && <Progress orderId={order.id} status={order.status} />}
      {order.sync === 'synced' && (order.disposition === 'transferred' || order.disposition === 'emergency') && <Transfers ticketId={order.id} status={order.status} />}
    </div>
  );
}

/** 转接与办理: the order's transfers and the handling records of the seats it went to, from the platform. */
function Transfers({ ticketId, status }: { ticketId: string; status: LocalOrderView['status'] }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<TicketAnswer | null>(null);
  useEffect(() => {
    let live = true;
    void callTicket(ticketId).then((a) => live && setAnswer(a));
    return () => {
      live = false;
    };
  }, [ticketId, status]);
  if (answer === null) return null;
  return (
    <div data-testid="my-order-transfers" style={{ marginTop: 8 }}>
      {answer.ok ? (
        <TicketContextView context={answer.context} />
      ) : (
        <Typography.Text type="secondary" data-testid="my-order-transfers-unavailable">
          {t(`transfers.ticket.unavailable.${answer.reason}`)}
        </Typography.Text>
      )}
    </div>
  );
}

/** 处理进展: what the platform did with the order, as pulled from its change feed. */
function Progress({ orderId, status }: { orderId: string; status: LocalOrderView['status'] }) {
  const { t } = useTranslation();
  const [events, setEvents] = useState<readonly OrderEventView[] | null>(null);
  useEffect(() => {
    let live = true;
    orderEvents(orderId).then(
      (list) => live && setEvents(list),
      () => live && setEvents([]),
    );
    return () => {
      live = false;
    };
    // A new status means new events were pulled.
  }, [orderId, status]);
  if (events === null) return null;
  const said = (e: OrderEventView) => {
    const d = e.detail;
    if (!d) return '';
    if (d.solved !== undefined && d.satisfied !== undefined) return t('orders.events.callback', { solved: t(`orders.events.solved.${d.solved}`), satisfied: t(`orders.events.satisfied.${d.satisfied}`) });
    return [d.extensionDays ? t('orders.events.extensionDays', { n: d.extensionDays }) : '', d.handlingUnit ?? '', d.org ?? '', d.reason ?? '', d.note ?? ''].filter(Boolean).join(' · ');
  };
  return (
    <div data-testid="my-order-progress" style={{ marginTop: 8 }}>
      <Typography.Text strong>{t('orders.events.title')}</Typography.Text>
      {events.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('orders.events.none')}</Typography.Paragraph>
      ) : (
        <ul style={{ listStyle: 'none', margin: '4px 0 0', padding: 0 }}>
          {events.map((e) => (
            <li key={e.seq} data-testid="my-order-event" data-action={e.action}>
              <Typography.Text type="secondary" className="tabular">
                {shanghaiDate(e.at)} {hhmm(e.at)}
              </Typography.Text>{' '}
              {t(`orders.events.action.${e.action}`, { defaultValue: e.action })} {said(e)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function MyOrders({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const all = useOrdersStore((s) => s.myOrders);
  const more = useOrdersStore((s) => s.myOrdersMore === true);
  const drafts = useOrdersStore((s) => s.drafts);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<readonly LocalOrderView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [detail, setDetail] = useState<LocalOrderView | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      setFound(null);
      return;
    }
    const mine = ++seq.current;
    const timer = window.setTimeout(() => {
      searchMyOrders(q)
        .then((list) => {
          if (mine === seq.current) {
            setFound(list);
            setProblem(null);
          }
        })
        .catch((error: unknown) => {
          if (mine === seq.current) setProblem(error instanceof Error ? error.message : String(error));
        });
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [query]);

  const list = found ?? all;
  const isOpenDraft = useMemo(() => (o: LocalOrderView) => drafts[o.id]?.state === 'open' || (o.draft === true && drafts[o.id] === undefined), [drafts]);

  const choose = (o: LocalOrderView) => {
    if (isOpenDraft(o)) {
      try {
        activateDraft(o.id);
        onClose();
      } catch (error) {
        setProblem(error instanceof Error ? error.message : String(error));
      }
    } else setDetail(o);
  };

  return (
    <Drawer title={t('orders.mine.title')} open={open} onClose={onClose} size={560} data-testid="my-orders">
      {detail ? (
        <Details
          order={detail}
          onBack={() => setDetail(null)}
          onFix={() => {
            reopenRefused(detail.id).then(
              () => {
                setDetail(null);
                onClose();
              },
              (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
            );
          }}
        />
      ) : (
        <Space orientation="vertical" size="small" style={{ width: '100%' }}>
          <Input
            allowClear
            autoFocus
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !isComposing(e.nativeEvent) && list[0]) choose(list[0]);
            }}
            placeholder={t('orders.mine.search')}
            aria-label={t('orders.mine.search')}
            data-testid="my-orders-search"
          />
          {problem && <Alert type="error" showIcon title={t('orders.failed', { message: problem })} data-testid="my-orders-error" />}
          {list.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={found ? t('orders.mine.noMatch') : t('orders.mine.empty')} />
          ) : (
            <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="my-orders-list">
              {list.map((o) => {
                const draft = isOpenDraft(o);
                return (
                  <li key={o.id} data-testid="my-order" data-order-id={o.id} data-sync={o.sync} style={{ padding: '6px 0', borderBottom: '1px solid rgba(5, 5, 5, 0.06)' }}>
                    <button
                      type="button"
                      onClick={() => choose(o)}
                      style={{ background: 'none', border: 0, padding: 0, margin: 0, font: 'inherit', color: 'inherit', textAlign: 'left', cursor: 'pointer', display: 'block', width: '100%' }}
                      aria-label={`${draft ? t('orders.sync.draft') : orderNoLabel(o, t)} ${o.title}`}
                    >
                      <Space size="small" wrap>
                        <Typography.Text code>{draft ? t('orders.sync.draft') : orderNoLabel(o, t)}</Typography.Text>
                        <span className="tabular">{hhmm(o.createdAt)}</span>
                        <Typography.Text strong>{o.title || '—'}</Typography.Text>
                        <Typography.Text type="secondary">{[o.callerName, o.callerMasked].filter(Boolean).join(' ')}</Typography.Text>
                        {draft ? <Tag data-testid="my-order-draft">{t('orders.sync.draft')}</Tag> : <SyncTag order={o} />}
                      </Space>
                      {o.sync === 'failed' && o.error && (
                        <div>
                          <Typography.Text type="danger" data-testid="my-order-error">
                            {o.error}
                          </Typography.Text>
                        </div>
                      )}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {!found && more && (
            <Typography.Text type="secondary" data-testid="my-orders-more">
              {t('orders.mine.more', { n: TODAY_LIMIT })}
            </Typography.Text>
          )}
        </Space>
      )}
    </Drawer>
  );
}
