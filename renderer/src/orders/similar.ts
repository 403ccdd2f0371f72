/**
 * 并单 candidates for a draft: open platform orders of the same caller or at the same address.
 * Asked when a draft is bound to a call (by number) and again, debounced, when its number or
 * address changes. Any failure means no candidates ([]); an answer to an older question is
 * dropped when a newer one was asked.
 */
import { isValidPhone, normalizePhone } from '../../../shared/base/phone-number';
import type { OrderForm } from '../../../shared/orders/order-form';
import type { SimilarOrder } from '../../../shared/orders/routes';
import { addressSchema } from '../../../shared/orders/work-order';
import { bridge, call } from '../ipc/bridge';

export const SIMILAR_DEBOUNCE_MS = 600;

/** Form fields whose change asks again. */
export const SIMILAR_FIELDS: ReadonlySet<keyof OrderForm> = new Set(['callerPhone', 'district', 'street', 'addressDetail']);

export interface SimilarQuery {
  phone?: string;
  address?: { district?: string; street?: string; detail?: string };
  categoryCode?: string;
}

export type AskSimilar = (q: SimilarQuery) => Promise<readonly SimilarOrder[]>;

export const bridgeSimilar: AskSimilar = async (q) => (await call(bridge().orders.similar(q))).orders;

/** The question for a form, or undefined when it has neither a number nor an address. */
export function similarQuery(form: OrderForm): SimilarQuery | undefined {
  const phone = normalizePhone(form.callerPhone);
  const raw = { district: form.district.trim() || undefined, street: form.street.trim() || undefined, detail: form.addressDetail.trim() || undefined };
  const hasAddress = Object.values(raw).some((v) => v !== undefined);
  const address = hasAddress ? addressSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined))) : undefined;
  const q: SimilarQuery = {
    ...(isValidPhone(phone) && phone.length <= 20 ? { phone } : {}),
    ...(address?.success ? { address: address.data } : {}),
  };
  if (!q.phone && !q.address) return undefined;
  if (/^[0-9.]{1,32}$/.test(form.categoryCode)) q.categoryCode = form.categoryCode;
  return q;
}

export class SimilarFinder {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly asked = new Map<string, number>();
  private seq = 0;
  private readonly asking = new Set<Promise<void>>();

  constructor(
    private readonly ask: AskSimilar,
    private readonly read: (draftId: string) => OrderForm | undefined,
    private readonly apply: (draftId: string, orders: readonly SimilarOrder[]) => void,
    private readonly delayMs = SIMILAR_DEBOUNCE_MS,
  ) {}

  /** Ask now. */
  now(draftId: string): Promise<void> {
    const p = this.ask1(draftId);
    this.asking.add(p);
    void p.finally(() => this.asking.delete(p));
    return p;
  }

  /** Resolves when no question is waiting for its answer. */
  async settled(): Promise<void> {
    while (this.asking.size > 0) await Promise.all([...this.asking]);
  }

  private async ask1(draftId: string): Promise<void> {
    this.cancel(draftId);
    const form = this.read(draftId);
    if (!form) return;
    const q = similarQuery(form);
    const mine = ++this.seq;
    this.asked.set(draftId, mine);
    let orders: readonly SimilarOrder[] = [];
    if (q) {
      try {
        orders = await this.ask(q);
      } catch {
        orders = [];
      }
    }
    if (this.asked.get(draftId) === mine) this.apply(draftId, orders);
  }

  /** Ask after the agent stopped typing for a moment. */
  later(draftId: string): void {
    this.cancel(draftId);
    this.timers.set(
      draftId,
      setTimeout(() => {
        this.timers.delete(draftId);
        void this.now(draftId);
      }, this.delayMs),
    );
  }

  cancel(draftId: string): void {
    const t = this.timers.get(draftId);
    if (t) clearTimeout(t);
    this.timers.delete(draftId);
  }

  dispose(): void {
    for (const id of [...this.timers.keys()]) this.cancel(id);
  }
}
