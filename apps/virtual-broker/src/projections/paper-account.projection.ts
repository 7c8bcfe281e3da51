import type { EntityManager } from 'typeorm';
import { type Envelope, type InlineProjector, flatEvent, namedStatement } from '@tradecore/eventing';
import type { Placeholders } from '@tradecore/eventing';
import type { PaperAccountEvent } from '../domain/paper-account.messages';
import { amountCents } from '../domain/money';

type Of<T extends PaperAccountEvent['type']> = Extract<PaperAccountEvent, { type: T }>;

/** What every statement stamps the account row with: the event's version and time. */
interface Stamp {
  readonly account: string;
  readonly version: number;
  readonly stampedAt: string;
}

/** One line of an order's history, as order_events keeps it. */
interface HistoryEntry {
  readonly orderId: string;
  readonly eventType: string;
  readonly status: string;
  readonly fillQuantity: number | null;
  readonly fillPriceCents: number | null;
  readonly filledQuantity: number;
  readonly remainingQuantity: number;
  readonly reason: string | null;
  readonly occurredAt: string;
}

const VIRTUAL_BROKER = 'vb_project';

/**
 * Accounts, orders, their history and positions, updated in the append's transaction so a
 * trader reads their own order, cash and position right after the command returns. Each event is
 * one prepared statement that changes every table it touches at once.
 */
export function paperAccountProjection(schema: string): InlineProjector {
  const statements = paperAccountStatements(schema);
  return async (envelope, manager) => {
    const event = flatEvent<PaperAccountEvent>(envelope);
    const stamp: Stamp = {
      account: envelope.streamId,
      version: envelope.streamVersion,
      stampedAt: event.type === 'PaperAccountProvisioned' ? event.provisionedAt : envelope.occurredAt,
    };
    await project(statements, manager, envelope, event, stamp);
  };
}

function project(
  statements: ReturnType<typeof paperAccountStatements>,
  manager: EntityManager,
  envelope: Envelope,
  event: PaperAccountEvent,
  stamp: Stamp,
): Promise<unknown[]> {
  switch (event.type) {
    case 'PaperAccountProvisioned':
      return statements.provisioned.run(manager, stamp, event);
    case 'OrderPlaced':
    case 'OrderRejected':
      return statements.recordOrder.run(manager, stamp, envelope, event);
    case 'OrderPartiallyFilled':
    case 'OrderFilled':
      return statements.fill.run(manager, stamp, envelope, event);
    case 'OrderReplaced':
      return statements.replaced.run(manager, stamp, envelope, event);
    case 'OrderCancelled':
      return statements.close.run(
        manager,
        stamp,
        envelope,
        event,
        'CANCELLED',
        event.reason,
        event.cancelledAt,
      );
    case 'OrderExpired':
      return statements.close.run(manager, stamp, envelope, event, 'EXPIRED', null, event.expiredAt);
    case 'PaperAccountReset':
      return statements.reset.run(manager, stamp, event);
    case 'OrderTriggered':
      return statements.touched.run(manager, stamp);
    case 'PaperAccountPurged':
      return statements.purged.run(manager, stamp);
    case 'PaperAccountRestored':
      return statements.restored.run(manager, stamp);
    default: {
      const unhandled: never = event;
      throw new Error(`paper account projection cannot apply ${JSON.stringify(unhandled)}`);
    }
  }
}

/** One statement per event type (or pair of types the tables see alike). */
function paperAccountStatements(schema: string) {
  const t = (table: string) => `"${schema}".${table}`;
  const touch = (p: Placeholders<Stamp>, set = '') =>
    `UPDATE ${t('paper_accounts')} SET ${set}${set ? ', ' : ''}version = ${p.version}, updated_at = ${p.stampedAt}
      WHERE account_id = ${p.account}`;
  // The closing statement takes the filled quantity from the order row it closes.
  const history = (p: Placeholders<Stamp & HistoryEntry>, filled = p.filledQuantity) =>
    `INSERT INTO ${t('order_events')} (account_id, version, order_id, type, status, fill_quantity,
        fill_price_cents, filled_quantity, remaining_quantity, reason, occurred_at)
      VALUES (${p.account}, ${p.version}, ${p.orderId}, ${p.eventType}, ${p.status}, ${p.fillQuantity}::int,
        ${p.fillPriceCents}::bigint, ${filled}, ${p.remainingQuantity}, ${p.reason}, ${p.occurredAt})
      ON CONFLICT DO NOTHING`;
  return {
    provisioned: namedStatement(
      VIRTUAL_BROKER,
      (stamp: Stamp, e: Of<'PaperAccountProvisioned'>) => ({
        ...stamp,
        user: e.userId,
        connection: e.connectionId,
        currency: e.currency,
        startingCash: e.startingCashCents,
      }),
      (p) => `INSERT INTO ${t('paper_accounts')} (account_id, user_id, connection_id, currency, status,
          starting_cash_cents, cash_cents, reserved_cash_cents, version, provisioned_at, updated_at)
        VALUES (${p.account}, ${p.user}, ${p.connection}, ${p.currency}, 'ACTIVE', ${p.startingCash},
          ${p.startingCash}, 0, ${p.version}, ${p.stampedAt}, ${p.stampedAt}) ON CONFLICT DO NOTHING`,
    ),

    // Placing and rejecting record the order the same way.
    recordOrder: namedStatement(
      VIRTUAL_BROKER,
      (stamp: Stamp, envelope: Envelope, e: Of<'OrderPlaced' | 'OrderRejected'>) => {
        const rejected = e.type === 'OrderRejected';
        const status = rejected ? 'REJECTED' : 'NEW';
        const at = rejected ? e.rejectedAt : e.placedAt;
        return {
          ...stamp,
          reserved: rejected ? 0 : e.reservedCashCents,
          symbol: e.symbol,
          side: e.side,
          orderType: e.orderType,
          timeInForce: e.timeInForce,
          limitPrice: e.limitPriceCents,
          rejectCode: rejected ? e.code : null,
          rejectReason: rejected ? e.reason : null,
          stopPrice: rejected ? null : (e.stopPriceCents ?? null),
          ...historyOf(envelope, e.orderId, status, at, {
            remaining: e.quantity,
            reason: rejected ? e.code : null,
          }),
        };
      },
      (
        p,
      ) => `WITH account AS (${touch(p, `reserved_cash_cents = reserved_cash_cents + ${p.reserved}`)} RETURNING user_id),
        recorded AS (
          INSERT INTO ${t('orders')} (account_id, order_id, user_id, symbol, side, order_type, time_in_force, quantity,
            limit_price_cents, status, reject_code, reject_reason, placed_at, updated_at, stop_price_cents)
          SELECT ${p.account}, ${p.orderId}, user_id, ${p.symbol}, ${p.side}, ${p.orderType}, ${p.timeInForce},
            ${p.remainingQuantity}, ${p.limitPrice}, ${p.status}, ${p.rejectCode}, ${p.rejectReason},
            ${p.occurredAt}, ${p.occurredAt}, ${p.stopPrice}::bigint FROM account
          ON CONFLICT DO NOTHING)
        ${history(p)}`,
    ),

    fill: namedStatement(
      VIRTUAL_BROKER,
      (stamp: Stamp, envelope: Envelope, e: Of<'OrderFilled' | 'OrderPartiallyFilled'>) => {
        const traded = amountCents(e.quantity, e.priceCents);
        const buying = e.side === 'BUY';
        const status = e.type === 'OrderFilled' ? 'FILLED' : 'PARTIALLY_FILLED';
        return {
          ...stamp,
          cashChange: buying ? -traded : traded,
          released: e.releasedCashCents,
          realizedPnl: e.realizedPnlCents,
          traded,
          symbol: e.symbol,
          quantityChange: buying ? e.quantity : -e.quantity,
          // A sale's cost basis leaving is proceeds minus realized P&L, exactly as the decider's positions keep it.
          costChange: buying ? traded : -(traded - e.realizedPnlCents),
          ...historyOf(envelope, e.orderId, status, e.filledAt, {
            remaining: e.remainingQuantity,
            filled: e.filledQuantity,
            fill: { quantity: e.quantity, priceCents: e.priceCents },
          }),
        };
      },
      (p) => `WITH filled AS (
          UPDATE ${t('orders')} SET status = ${p.status}, filled_quantity = ${p.filledQuantity},
            filled_value_cents = filled_value_cents + ${p.traded}, updated_at = ${p.occurredAt}
          WHERE account_id = ${p.account} AND order_id = ${p.orderId}),
        account AS (${touch(
          p,
          `cash_cents = cash_cents + ${p.cashChange}, reserved_cash_cents = reserved_cash_cents - ${p.released},
            realized_pnl_cents = realized_pnl_cents + ${p.realizedPnl}`,
        )}),
        position AS (
          INSERT INTO ${t('positions')} (account_id, symbol, quantity, cost_basis_cents, realized_pnl_cents)
          VALUES (${p.account}, ${p.symbol}, ${p.quantityChange}, ${p.costChange}, ${p.realizedPnl})
          ON CONFLICT (account_id, symbol) DO UPDATE SET quantity = positions.quantity + EXCLUDED.quantity,
            cost_basis_cents = positions.cost_basis_cents + EXCLUDED.cost_basis_cents,
            realized_pnl_cents = positions.realized_pnl_cents + EXCLUDED.realized_pnl_cents)
        ${history(p)}`,
    ),

    // New terms in place; the account's reservation moves from the old terms to the new.
    replaced: namedStatement(
      VIRTUAL_BROKER,
      (stamp: Stamp, envelope: Envelope, e: Of<'OrderReplaced'>) => ({
        ...stamp,
        quantity: e.quantity,
        limitPrice: e.limitPriceCents,
        stopPrice: e.stopPriceCents,
        timeInForce: e.timeInForce,
        reservedChange: e.reservedCashCents - e.releasedCashCents,
        ...historyOf(envelope, e.orderId, e.status, e.replacedAt, {
          remaining: e.remainingQuantity,
          filled: e.filledQuantity,
        }),
      }),
      (p) => `WITH replaced AS (
          UPDATE ${t('orders')} SET quantity = ${p.quantity}, limit_price_cents = ${p.limitPrice}::bigint,
            stop_price_cents = ${p.stopPrice}::bigint, time_in_force = ${p.timeInForce}, updated_at = ${p.occurredAt}
          WHERE account_id = ${p.account} AND order_id = ${p.orderId}),
        account AS (${touch(p, `reserved_cash_cents = reserved_cash_cents + ${p.reservedChange}`)})
        ${history(p)}`,
    ),

    close: namedStatement(
      VIRTUAL_BROKER,
      (
        stamp: Stamp,
        envelope: Envelope,
        e: Of<'OrderCancelled' | 'OrderExpired'>,
        status: string,
        reason: string | null,
        at: string,
      ) => ({
        ...stamp,
        released: e.releasedCashCents,
        // The order row knows what was filled; the history's filled quantity is computed from it.
        ...historyOf(envelope, e.orderId, status, at, { remaining: e.remainingQuantity, reason }),
      }),
      (p) => `WITH closed AS (
          UPDATE ${t('orders')} SET status = ${p.status}, updated_at = ${p.occurredAt}
          WHERE account_id = ${p.account} AND order_id = ${p.orderId} RETURNING quantity),
        account AS (${touch(p, `reserved_cash_cents = reserved_cash_cents - ${p.released}`)})
        ${history(p, `COALESCE((SELECT quantity FROM closed), ${p.remainingQuantity}) - ${p.remainingQuantity}`)}`,
    ),

    reset: namedStatement(
      VIRTUAL_BROKER,
      (stamp: Stamp, e: Of<'PaperAccountReset'>) => ({ ...stamp, cash: e.cashCents }),
      (p) => `WITH cleared AS (DELETE FROM ${t('positions')} WHERE account_id = ${p.account})
        ${touch(p, `cash_cents = ${p.cash}, reserved_cash_cents = 0, realized_pnl_cents = 0`)}`,
    ),
    touched: namedStatement(
      VIRTUAL_BROKER,
      (stamp: Stamp) => stamp,
      (p) => touch(p),
    ),
    purged: namedStatement(
      VIRTUAL_BROKER,
      (stamp: Stamp) => stamp,
      (p) => touch(p, `status = 'PURGED'`),
    ),
    restored: namedStatement(
      VIRTUAL_BROKER,
      (stamp: Stamp) => stamp,
      (p) => touch(p, `status = 'ACTIVE'`),
    ),
  };
}

function historyOf(
  envelope: Envelope,
  orderId: string,
  status: string,
  occurredAt: string,
  entry: {
    readonly remaining: number;
    readonly filled?: number;
    readonly reason?: string | null;
    readonly fill?: { readonly quantity: number; readonly priceCents: number };
  },
): HistoryEntry {
  return {
    orderId,
    eventType: envelope.type,
    status,
    fillQuantity: entry.fill?.quantity ?? null,
    fillPriceCents: entry.fill?.priceCents ?? null,
    filledQuantity: entry.filled ?? 0,
    remainingQuantity: entry.remaining,
    reason: entry.reason ?? null,
    occurredAt,
  };
}
