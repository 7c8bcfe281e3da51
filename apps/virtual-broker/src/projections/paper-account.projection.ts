import { type Envelope, type InlineProjector, flatEvent } from '@tradecore/eventing';
import { prepared, queryPrepared } from '@tradecore/eventing';
import type { PaperAccountEvent } from '../domain/paper-account.messages';
import { amountCents } from '../domain/money';

type Fill = Extract<PaperAccountEvent, { type: 'OrderFilled' | 'OrderPartiallyFilled' }>;
type Closing = Extract<PaperAccountEvent, { type: 'OrderCancelled' | 'OrderExpired' }>;

interface HistoryEntry {
  readonly orderId: string;
  readonly status: string;
  readonly filledQuantity: number;
  readonly remainingQuantity: number;
  readonly fill?: { readonly quantity: number; readonly priceCents: number };
  readonly reason?: string;
  readonly at: string;
}

/**
 * Accounts, orders, their history and positions, updated in the append's transaction so a
 * trader reads their own order, cash and position right after the command returns. Each event is
 * one prepared statement; parameters 1–3 are always the account, the event's version and the time
 * the account row is stamped with.
 */
export function paperAccountProjection(schema: string): InlineProjector {
  const statements = paperAccountStatements(schema);

  const history = (envelope: Envelope, entry: HistoryEntry) => [
    entry.orderId,
    envelope.type,
    entry.status,
    entry.fill?.quantity ?? null,
    entry.fill?.priceCents ?? null,
    entry.filledQuantity,
    entry.remainingQuantity,
    entry.reason ?? null,
    entry.at,
  ];

  const fill = (envelope: Envelope, event: Fill) => {
    const traded = amountCents(event.quantity, event.priceCents);
    const status = event.type === 'OrderFilled' ? 'FILLED' : 'PARTIALLY_FILLED';
    const buying = event.side === 'BUY';
    // A sale's cost basis leaving is proceeds minus realized P&L, exactly as the decider's positions keep it.
    const costChange = buying ? traded : -(traded - event.realizedPnlCents);
    return [
      buying ? -traded : traded,
      event.releasedCashCents,
      event.realizedPnlCents,
      traded,
      event.symbol,
      buying ? event.quantity : -event.quantity,
      costChange,
      ...history(envelope, {
        orderId: event.orderId,
        status,
        filledQuantity: event.filledQuantity,
        remainingQuantity: event.remainingQuantity,
        fill: { quantity: event.quantity, priceCents: event.priceCents },
        at: event.filledAt,
      }),
    ];
  };

  const close = (
    envelope: Envelope,
    event: Closing,
    status: string,
    reason: string | undefined,
    at: string,
  ) => [
    event.releasedCashCents,
    ...history(envelope, {
      orderId: event.orderId,
      status,
      // Placeholder: the statement takes the filled quantity from the order row it closes.
      filledQuantity: event.remainingQuantity,
      remainingQuantity: event.remainingQuantity,
      reason,
      at,
    }),
  ];

  const paramsOf = (envelope: Envelope, event: PaperAccountEvent): unknown[] => {
    switch (event.type) {
      case 'PaperAccountProvisioned':
        return [event.userId, event.connectionId, event.currency, event.startingCashCents];
      case 'OrderPlaced':
      case 'OrderRejected': {
        const rejected = event.type === 'OrderRejected';
        return [
          rejected ? 0 : event.reservedCashCents,
          event.symbol,
          event.side,
          event.orderType,
          event.timeInForce,
          event.limitPriceCents,
          rejected ? event.code : null,
          rejected ? event.reason : null,
          ...history(envelope, {
            orderId: event.orderId,
            status: rejected ? 'REJECTED' : 'NEW',
            filledQuantity: 0,
            remainingQuantity: event.quantity,
            reason: rejected ? event.code : undefined,
            at: rejected ? event.rejectedAt : event.placedAt,
          }),
          rejected ? null : (event.stopPriceCents ?? null),
        ];
      }
      case 'OrderPartiallyFilled':
      case 'OrderFilled':
        return fill(envelope, event);
      case 'OrderCancelled':
        return close(envelope, event, 'CANCELLED', event.reason, event.cancelledAt);
      case 'OrderExpired':
        return close(envelope, event, 'EXPIRED', undefined, event.expiredAt);
      case 'PaperAccountReset':
        return [event.cashCents];
      case 'OrderTriggered':
      case 'PaperAccountPurged':
      case 'PaperAccountRestored':
        return [];
      default: {
        const unhandled: never = event;
        throw new Error(`paper account projection cannot apply ${JSON.stringify(unhandled)}`);
      }
    }
  };

  return async (envelope, manager) => {
    const event = flatEvent<PaperAccountEvent>(envelope);
    const stampedAt = event.type === 'PaperAccountProvisioned' ? event.provisionedAt : envelope.occurredAt;
    await queryPrepared(manager, statements[event.type], [
      envelope.streamId,
      envelope.streamVersion,
      stampedAt,
      ...paramsOf(envelope, event),
    ]);
  };
}

/** One statement per event type, each changing every table the event touches at once. */
function paperAccountStatements(schema: string) {
  const t = (table: string) => `"${schema}".${table}`;
  const touch = (set = '') =>
    `UPDATE ${t('paper_accounts')} SET ${set}${set ? ', ' : ''}version = $2, updated_at = $3 WHERE account_id = $1`;
  // The nine history parameters start at `first`; `filled` may take the filled quantity from elsewhere.
  const history = (first: number, filled = `$${first + 5}`) => {
    const p = (offset: number) => `$${first + offset}`;
    return `INSERT INTO ${t('order_events')} (account_id, version, order_id, type, status, fill_quantity,
        fill_price_cents, filled_quantity, remaining_quantity, reason, occurred_at)
      VALUES ($1, $2, ${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}::int, ${p(4)}::bigint, ${filled}, ${p(6)}, ${p(7)}, ${p(8)})
      ON CONFLICT DO NOTHING`;
  };
  // Placing and rejecting record the order the same way; parameters 4–11 are the order's, then its history, then the stop price.
  const recordOrder = `WITH account AS (${touch('reserved_cash_cents = reserved_cash_cents + $4')} RETURNING user_id),
    recorded AS (
      INSERT INTO ${t('orders')} (account_id, order_id, user_id, symbol, side, order_type, time_in_force, quantity,
        limit_price_cents, status, reject_code, reject_reason, placed_at, updated_at, stop_price_cents)
      SELECT $1, $12, user_id, $5, $6, $7, $8, $18, $9, $14, $10, $11, $20, $20, $21::bigint FROM account
      ON CONFLICT DO NOTHING)
    ${history(12)}`;
  const close = `WITH closed AS (
      UPDATE ${t('orders')} SET status = $7, updated_at = $13 WHERE account_id = $1 AND order_id = $5 RETURNING quantity),
    account AS (${touch('reserved_cash_cents = reserved_cash_cents - $4')})
    ${history(5, 'COALESCE((SELECT quantity FROM closed), $10) - $11')}`;
  const texts: Record<PaperAccountEvent['type'], string> = {
    PaperAccountProvisioned: `INSERT INTO ${t('paper_accounts')} (account_id, user_id, connection_id, currency, status,
        starting_cash_cents, cash_cents, reserved_cash_cents, version, provisioned_at, updated_at)
      VALUES ($1, $4, $5, $6, 'ACTIVE', $7, $7, 0, $2, $3, $3) ON CONFLICT DO NOTHING`,
    OrderPlaced: recordOrder,
    OrderRejected: recordOrder,
    OrderTriggered: touch(),
    OrderPartiallyFilled: '',
    OrderFilled: `WITH filled AS (
        UPDATE ${t('orders')} SET status = $13, filled_quantity = $16, filled_value_cents = filled_value_cents + $7,
          updated_at = $19 WHERE account_id = $1 AND order_id = $11),
      account AS (${touch(
        'cash_cents = cash_cents + $4, reserved_cash_cents = reserved_cash_cents - $5, realized_pnl_cents = realized_pnl_cents + $6',
      )}),
      position AS (
        INSERT INTO ${t('positions')} (account_id, symbol, quantity, cost_basis_cents, realized_pnl_cents)
        VALUES ($1, $8, $9, $10, $6)
        ON CONFLICT (account_id, symbol) DO UPDATE SET quantity = positions.quantity + EXCLUDED.quantity,
          cost_basis_cents = positions.cost_basis_cents + EXCLUDED.cost_basis_cents,
          realized_pnl_cents = positions.realized_pnl_cents + EXCLUDED.realized_pnl_cents)
      ${history(11)}`,
    OrderCancelled: close,
    OrderExpired: close,
    PaperAccountReset: `WITH cleared AS (DELETE FROM ${t('positions')} WHERE account_id = $1)
      ${touch('cash_cents = $4, reserved_cash_cents = 0, realized_pnl_cents = 0')}`,
    PaperAccountPurged: touch(`status = 'PURGED'`),
    PaperAccountRestored: touch(`status = 'ACTIVE'`),
  };
  texts.OrderPartiallyFilled = texts.OrderFilled;
  return Object.fromEntries(
    Object.entries(texts).map(([type, text]) => [type, prepared('vb_project', text)]),
  ) as Record<PaperAccountEvent['type'], ReturnType<typeof prepared>>;
}
