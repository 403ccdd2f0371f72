/**
 * The central work area: the screen-pop card (the call card and the caller's pop) above the
 * work-order card. Starts the reference data and the orders domain once the signed-in shell shows;
 * the form and "my orders" load lazily (the shell's first screen carries none of their code).
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CallCard } from '../phone/CallCard';
import { focusedCall, ringingCall, useCallStore } from '../phone/call-store';
import { startReference, useReferenceStore } from '../directory/reference-store';
import { applySeatHotline, startKnowledge } from '../knowledge/knowledge-store';
import { useSessionStore } from '../session/session-store';
import { OrderNotices } from '../orders/notices/OrderNotices';
import { whenIdle } from '../ui/timing';
import { activateDraft, newDraft, startOrders, useOrdersStore } from '../orders/orders-store';
import { ScreenPop } from '../orders/pop/ScreenPop';
import { prefetchTicketCard, TicketSlot } from '../transfers/TransferNotes';
import { followTickets } from '../transfers/ticket-follower';
import { requestFieldFocus } from '../orders/form/field-focus';
import { orderShortcutOf } from '../orders/form/keys';
import { shortcutPlatform } from '../shortcuts/global-shortcuts';

const OrderWorkspace = lazy(() => import('../orders/form/OrderWorkspace').then((m) => ({ default: m.OrderWorkspace })));
const MyOrders = lazy(() => import('../orders/mine/MyOrders').then((m) => ({ default: m.MyOrders })));

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Alt+N / Alt+C / Alt+D from anywhere in the window (inside the form, the form handles them): the
 * caller's name, the content, the disposition — also while the form is still mounting.
 */
function useOrderFieldShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as Element | null)?.closest?.('[data-testid="order-form"]')) return;
      const action = orderShortcutOf(e, shortcutPlatform);
      const field = action === 'focusCaller' ? 'callerName' : action === 'focusContent' ? 'content' : action === 'focusDisposition' ? 'disposition' : undefined;
      if (!field) return;
      e.preventDefault();
      requestFieldFocus(field);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function useStartDomains(): { ordersError: string | null; referenceError: string | null } {
  const [ordersError, setOrdersError] = useState<string | null>(null);
  const [referenceError, setReferenceError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // All are idempotent (a second call while starting or started does nothing more), so a
    // remount or React running the effect twice starts nothing twice; after a sign-out the next
    // signed-in shell starts the orders domain again.
    startReference().catch((error: unknown) => live && setReferenceError(message(error)));
    startOrders().catch((error: unknown) => live && setOrdersError(message(error)));
    // A transferred call's order is fetched while it rings (the receiving seat's pop).
    const stopTickets = followTickets();
    // The knowledge copy is not needed for the first frames (the picker is in a form that comes
    // later): opened and synced once the page is idle; a failure shows in the picker as "not synced".
    whenIdle(() => void startKnowledge().catch(() => undefined));
    whenIdle(prefetchTicketCard);
    return () => {
      live = false;
      stopTickets();
    };
  }, []);
  return { ordersError, referenceError };
}

/** A sub-center seat (12366 …) searches its own line's knowledge first. */
function useSeatProfile(): void {
  const user = useSessionStore((s) => s.status?.user);
  const hotline = useReferenceStore((s) => (user?.role === 'subcenter' ? (s.data?.units.find((u) => u.code === user.orgCode)?.hotline ?? undefined) : undefined));
  useEffect(() => applySeatHotline(hotline), [hotline]);
}

/** The call the pop shows: the focused call, else a ringing one, else the active draft's call. */
function usePopCallId(): string | null {
  const liveId = useCallStore((s) => (focusedCall(s) ?? ringingCall(s))?.id ?? null);
  const draftCallId = useOrdersStore((s) => (s.activeDraftId ? s.drafts[s.activeDraftId]?.call?.callId : undefined) ?? null);
  return liveId ?? draftCallId;
}

function ScreenPopCard() {
  const { t } = useTranslation();
  const hasCall = useCallStore((s) => s.calls.length > 0);
  const callId = usePopCallId();
  const hasPop = useOrdersStore((s) => callId !== null && s.pops[callId] !== undefined);
  return (
    <Card title={t('work.screenPop')} size="small" data-testid="screen-pop">
      {hasCall && <CallCard />}
      {!hasCall && !hasPop && (
        <Empty description={t('work.waiting')} image={Empty.PRESENTED_IMAGE_SIMPLE}>
          <Typography.Text type="secondary">{t('work.waitingHint')}</Typography.Text>
        </Empty>
      )}
      {callId && <TicketSlot key={`ticket-${callId}`} callId={callId} />}
      {callId && <ScreenPop key={callId} callId={callId} />}
    </Card>
  );
}

export function WorkArea() {
  const { t } = useTranslation();
  const { ordersError, referenceError } = useStartDomains();
  useOrderFieldShortcuts();
  useSeatProfile();
  const status = useOrdersStore((s) => s.status);
  const problem = useOrdersStore((s) => s.problem);
  const stale = useReferenceStore((s) => s.stale && s.data !== null);
  const [myOrdersUsed, setMyOrdersUsed] = useState(false);
  const [myOrdersOpen, setMyOrdersOpen] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const openMyOrders = useCallback(() => {
    setMyOrdersUsed(true);
    setMyOrdersOpen(true);
  }, []);
  const startNewDraft = useCallback(() => {
    try {
      const id = newDraft();
      activateDraft(id);
      setActionError(null);
      // The agent asked for it: the caller's name is where they start typing.
      requestFieldFocus('callerName');
    } catch (error) {
      setActionError(message(error));
    }
  }, []);

  const failed = status === 'failed' || (status !== 'ready' && ordersError !== null);
  const ready = status === 'ready';
  return (
    <div className="work-area">
      <ScreenPopCard />
      <Card
        title={t('work.workOrder')}
        size="small"
        data-testid="work-order"
        extra={
          ready && (
            <Space size="small">
              <Button size="small" onClick={startNewDraft} data-testid="order-new">
                {t('orders.newDraft')}
              </Button>
              <Button size="small" onClick={openMyOrders} data-testid="open-my-orders">
                {t('orders.myOrders')}
              </Button>
            </Space>
          )
        }
      >
        <Space orientation="vertical" size="small" style={{ width: '100%' }}>
          {failed && (
            <Alert
              type="error"
              showIcon
              data-testid="orders-failed"
              title={t('orders.startFailed', { problem: problem ?? ordersError ?? '' })}
              description={t('orders.startFailedHint')}
            />
          )}
          {referenceError !== null && <Alert type="warning" showIcon data-testid="reference-failed" title={t('orders.referenceFailed', { message: referenceError })} />}
          {stale && referenceError === null && (
            <Typography.Text type="warning" data-testid="reference-stale">
              {t('orders.referenceStale')}
            </Typography.Text>
          )}
          {actionError !== null && <Alert type="error" showIcon closable={{ onClose: () => setActionError(null) }} title={t('orders.failed', { message: actionError })} data-testid="orders-action-error" />}
          <OrderNotices />
          {!ready && !failed && (
            <Typography.Text type="secondary" data-testid="orders-starting">
              {t('orders.starting')}
            </Typography.Text>
          )}
          {ready && (
            <Suspense fallback={<Typography.Text type="secondary">{t('orders.loading')}</Typography.Text>}>
              <OrderWorkspace />
            </Suspense>
          )}
        </Space>
      </Card>
      {myOrdersUsed && (
        <Suspense fallback={null}>
          <MyOrders open={myOrdersOpen} onClose={() => setMyOrdersOpen(false)} />
        </Suspense>
      )}
    </div>
  );
}
