/**
 * The work-order domain's state: plain data for the screen-pop, the drafts and "my orders" (one
 * zustand store). The actions that change it are in orders-store.ts.
 */
import { create } from 'zustand';
import type { NumberInfo, CallerHistory } from '../../../shared/orders/ipc';
import type { DirectoryEntry } from '../../../shared/directory/routes';
import type { CallBinding } from '../../../shared/orders/draft';
import type { FieldError, OrderForm } from '../../../shared/orders/order-form';
import type { OrderStatus } from '../../../shared/orders/work-order';
import type { SimilarOrder } from '../../../shared/orders/routes';

/** An order as this workstation knows it locally (opened from the sealed row). */
export interface LocalOrderView {
  /** The client order id (= the draft's id). */
  readonly id: string;
  readonly title: string;
  readonly requestType: OrderForm['requestType'];
  readonly categoryCode: string;
  readonly disposition: OrderForm['disposition'];
  /** The caller's number, masked for display. */
  readonly callerMasked: string;
  readonly callerName: string;
  readonly createdAt: number;
  /** pending: in the outbox · synced: the platform has it · failed: needs attention (see error). */
  readonly sync: 'pending' | 'synced' | 'failed';
  readonly orderNo?: string;
  /** The platform's order id, once synced. */
  readonly orderId?: string;
  readonly status?: OrderStatus;
  readonly error?: string;
  /** The refusal's code and the form fields it names (worded in Chinese by form/labels.ts refusalText). */
  readonly errorCode?: string;
  readonly errorFields?: readonly string[];
  /** 并单: this local record is a follow-up added to that platform order. */
  readonly followUpOf?: string;
  /** (added) An open draft, not submitted yet (in "my orders" and search results). */
  readonly draft?: boolean;
}

/** A call the caller made before, from the local call log. */
export interface LocalCallView {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly startedAt: number;
  readonly result: string;
  readonly workOrderId?: string;
}

export interface PopView {
  readonly callId: string;
  /** The calling number masked for display; '' when withheld. */
  readonly numberMasked: string;
  /** The full number, only after the agent revealed it on purpose (recorded on the platform). */
  readonly numberRevealed?: string;
  readonly numberInfo?: NumberInfo;
  readonly dialled?: string;
  /** The directory entry of the dialled number (e.g. 12333 → 人社, dual number). */
  readonly line?: DirectoryEntry;
  /** From the local database, shown at once. */
  readonly local: { readonly orders: readonly LocalOrderView[]; readonly calls: readonly LocalCallView[] };
  /** The platform's answer, merged in when it arrives; never blocks the pop. */
  readonly platform: {
    readonly state: 'loading' | 'ok' | 'unavailable';
    readonly history?: CallerHistory;
    /** (added) Epoch ms when `history` was fetched, when it is the cached copy (not this call's answer). */
    readonly cachedAt?: number;
  };
  /** Flags over local and platform data: orders in the last 30 days, open orders, confidentiality before. */
  readonly flags: { readonly repeat: number; readonly open: number; readonly confidentialBefore: boolean };
}

export interface DraftView {
  readonly id: string;
  readonly call?: CallBinding;
  readonly form: OrderForm;
  readonly state: 'open' | 'submitted' | 'discarded';
  readonly mergeInto?: { readonly orderId: string; readonly orderNo: string };
  /** Field errors of the last submit attempt (cleared field by field as the agent edits). */
  readonly errors: readonly FieldError[];
  /** Reopened to be corrected: the platform's refusal (code, the fields it names, its words). */
  readonly refused?: Refusal;
  /** Epoch ms of the last change and of the last durable save. */
  readonly updatedAt: number;
  readonly savedAt: number;
  /** (added) Epoch ms when the draft was created. */
  readonly createdAt?: number;
  /** 并单 candidates found for this draft (same caller or address, open orders). */
  readonly similar: readonly SimilarOrder[];
}

export interface OrdersState {
  /** idle: not started · ready: keys and database open · failed: see `problem` (drafts are not kept). */
  readonly status: 'idle' | 'ready' | 'failed';
  readonly problem?: string;
  readonly drafts: Readonly<Record<string, DraftView>>;
  /** The draft the form shows. */
  readonly activeDraftId: string | null;
  readonly pops: Readonly<Record<string, PopView>>;
  /** Today's orders and the open drafts' summaries, newest first. */
  readonly myOrders: readonly LocalOrderView[];
  /** Today has more orders than myOrders lists (mine/my-orders.ts TODAY_LIMIT): older ones are found by search. */
  readonly myOrdersMore?: boolean;
  /** This agent's outbox; `others`: entries of other agents of this seat, waiting for their next sign-in here. */
  readonly sync: { readonly pending: number; readonly failed: number; readonly others: number; readonly oldestPendingAt?: number; readonly lastSyncAt?: number; readonly lastError?: string };
  /** The local database was wiped or replaced since the last start (main noticed): shown until dismissed. */
  readonly dataLoss?: { readonly lostPending: number; readonly lastSeenAt: number };
  /** The platform returned (退单) or supervised (督办) one of this agent's orders: shown until dismissed. */
  readonly notices: readonly OrderNotice[];
}

export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly fields: readonly string[];
}

export interface OrderNotice {
  /** The feed position of the change (unique). */
  readonly seq: string;
  readonly clientOrderId: string;
  readonly orderNo: string;
  readonly action: 'return' | 'supervise' | 'handling';
  readonly reason?: string;
  readonly at: number;
}

export const useOrdersStore = create<OrdersState>()(() => ({
  status: 'idle',
  drafts: {},
  activeDraftId: null,
  pops: {},
  myOrders: [],
  sync: { pending: 0, failed: 0, others: 0 },
  notices: [],
}));

export const setOrders = useOrdersStore.setState;
export const getOrders = useOrdersStore.getState;
