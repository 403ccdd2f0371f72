/**
 * The work-order domain's store: plain data for the screen-pop, the drafts and "my orders",
 * and the actions the UI calls. The data layer (local database, sealing, outbox sender) lives in
 * the other modules of this folder; components read this store and call these actions only.
 *
 * CONTRACT between the data layer and the UI (both are built against it): the state shape and the
 * action signatures below. Bodies marked "data layer" are implemented in this file by the data layer.
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
  /** 并单: this local record is a follow-up added to that platform order. */
  readonly followUpOf?: string;
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
  readonly platform: { readonly state: 'loading' | 'ok' | 'unavailable'; readonly history?: CallerHistory };
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
  /** Epoch ms of the last change and of the last durable save. */
  readonly updatedAt: number;
  readonly savedAt: number;
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
  readonly sync: { readonly pending: number; readonly failed: number; readonly lastSyncAt?: number; readonly lastError?: string };
}

export const useOrdersStore = create<OrdersState>()(() => ({
  status: 'idle',
  drafts: {},
  activeDraftId: null,
  pops: {},
  myOrders: [],
  sync: { pending: 0, failed: 0 },
}));

const notYet = (name: string): never => {
  throw new Error(`orders: ${name} is not implemented yet`);
};

/** Open the keys and the local database, restore open drafts, follow the calls, start the sender. (data layer) */
export async function startOrders(): Promise<void> {
  notYet('startOrders');
}

/** A call rang or was dialled: its pop and its draft (idempotent per call). (data layer) */
export function bindCall(binding: CallBinding): void {
  void binding;
  notYet('bindCall');
}

/** Change fields of a draft: the store at once, the database within 300 ms (debounced). (data layer) */
export function editDraft(id: string, patch: Partial<OrderForm>): void {
  void id;
  void patch;
  notYet('editDraft');
}

/** Show this draft in the form. (data layer) */
export function activateDraft(id: string): void {
  void id;
  notYet('activateDraft');
}

/** A draft without a call (a call-back, another channel). Returns its id. (data layer) */
export function newDraft(): string {
  return notYet('newDraft');
}

/** Validate and submit: the order and its outbox entry in one transaction. (data layer) */
export async function submitDraft(id: string): Promise<{ ok: true } | { ok: false; errors: readonly FieldError[] }> {
  void id;
  return notYet('submitDraft');
}

/** Drop a draft (kept until the retention purge, never sent). (data layer) */
export async function discardDraft(id: string): Promise<void> {
  void id;
  notYet('discardDraft');
}

/** 并单: add this call to an open order instead of a new one (undefined = a new order again). (data layer) */
export function setMergeTarget(id: string, target: { orderId: string; orderNo: string } | undefined): void {
  void id;
  void target;
  notYet('setMergeTarget');
}

/** Show the caller's full number; the reveal is recorded on the platform (through the outbox). (data layer) */
export async function revealNumber(callId: string, purpose: string): Promise<void> {
  void callId;
  void purpose;
  notYet('revealNumber');
}

/** Local search over my orders and open drafts (number, name, text). (data layer) */
export async function searchMyOrders(query: string): Promise<readonly LocalOrderView[]> {
  void query;
  return notYet('searchMyOrders');
}

/** Push the outbox now. (data layer) */
export function syncNow(): void {
  notYet('syncNow');
}
