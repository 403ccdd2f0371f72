/**
 * The work order's life cycle (shared/orders/work-order.ts) over the whole action × status table:
 * every pair either moves to the status of the diagram or is refused.
 */
import { describe, expect, it } from 'vitest';
import { ORDER_ACTIONS, ORDER_STATUSES, nextStatus, type OrderAction, type OrderStatus } from '../../shared/orders/work-order';

const S = ORDER_STATUSES;
type Row = Partial<Record<OrderStatus, OrderStatus>>;

// Rows: action; columns: the status it applies to → the status it leads to (missing: refused).
const TABLE: Record<Exclude<OrderAction, 'submit'>, Row> = {
  return: { dispatched: 'returned', extended: 'returned' },
  redispatch: { returned: 'dispatched' },
  extend: { dispatched: 'extended' },
  reply: { dispatched: 'replied', extended: 'replied' },
  close: { replied: 'closed', transferred: 'closed' },
  callback: { closed: 'calledBack' },
  supervise: { dispatched: 'dispatched', extended: 'extended', returned: 'returned', replied: 'replied', transferred: 'transferred' },
};

describe('order life cycle', () => {
  it('names every action in the table', () => {
    expect(Object.keys(TABLE).sort()).toEqual(ORDER_ACTIONS.filter((a) => a !== 'submit').sort());
  });

  for (const [action, row] of Object.entries(TABLE) as [Exclude<OrderAction, 'submit'>, Row][]) {
    it(`${action}: ${Object.entries(row).map(([f, t]) => `${f}→${t}`).join(', ')}; refused elsewhere`, () => {
      for (const from of S) expect(nextStatus(from, action, 'dispatched'), `${action} from ${from}`).toBe(row[from]);
    });
  }

  it('submit: a draft goes where its disposition says; nothing else is submitted', () => {
    expect(nextStatus('draft', 'submit', 'dispatched')).toBe('dispatched');
    expect(nextStatus('draft', 'submit', 'transferred')).toBe('transferred');
    for (const d of ['answered', 'emergency', 'notAccepted'] as const) expect(nextStatus('draft', 'submit', d)).toBe('closed');
    for (const from of S.filter((s) => s !== 'draft')) expect(nextStatus(from, 'submit', 'dispatched')).toBeUndefined();
  });
});
