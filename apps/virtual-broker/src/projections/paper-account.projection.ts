import type { EntityManager } from 'typeorm';
import type { Envelope, InlineProjector } from '@tradecore/eventing';
import type { PaperAccountEvent } from '../domain/paper-account.messages';
import { amountCents } from '../domain/money';

type Fill = Extract<PaperAccountEvent, { type: 'OrderFilled' | 'OrderPartiallyFilled' }>;

/**
 * Accounts, orders, their history and positions, updated in the append's transaction so a
 * trader reads their own order, cash and position right after the command returns.
 */
export function paperAccountProjection(schema: string): InlineProjector {
  const t = (table: string) => `"${schema}".${table}`;

  const touchAccount = (manager: EntityManager, envelope: Envelope, set = '', params: unknown[] = []) =>
    manager.query(
      `UPDATE ${t('paper_accounts')} SET ${set}${set ? ', ' : ''}version = $2, updated_at = $3 WHERE account_id = $1`,
      [envelope.streamId, envelope.streamVersion, envelope.occurredAt, ...params],
    );

  const recordHistory = (
    manager: EntityManager,
    envelope: Envelope,
    entry: {
      orderId: string;
      status: string;
      filledQuantity: number;
      remainingQuantity: number;
      fill?: { quantity: number; priceCents: number };
      reason?: string;
      at: string;
    },
  ) =>
    manager.query(
      `INSERT INTO ${t('order_events')} (account_id, version, order_id, type, status, fill_quantity, fill_price_cents,
         filled_quantity, remaining_quantity, reason, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
      [
        envelope.streamId,
        envelope.streamVersion,
        entry.orderId,
        envelope.type,
        entry.status,
        entry.fill?.quantity ?? null,
        entry.fill?.priceCents ?? null,
        entry.filledQuantity,
        entry.remainingQuantity,
        entry.reason ?? null,
        entry.at,
      ],
    );

  const closeOrder = async (
    manager: EntityManager,
    envelope: Envelope,
    event: { orderId: string; remainingQuantity: number; releasedCashCents: number },
    status: string,
    reason: string | undefined,
    at: string,
  ) => {
    const [order]: { quantity: number }[] = await manager.query(
      `UPDATE ${t('orders')} SET status = $3, updated_at = $4 WHERE account_id = $1 AND order_id = $2 RETURNING quantity`,
      [envelope.streamId, event.orderId, status, at],
    );
    await touchAccount(manager, envelope, 'reserved_cash_cents = reserved_cash_cents - $4', [
      event.releasedCashCents,
    ]);
    await recordHistory(manager, envelope, {
      orderId: event.orderId,
      status,
      filledQuantity: (order?.quantity ?? event.remainingQuantity) - event.remainingQuantity,
      remainingQuantity: event.remainingQuantity,
      reason,
      at,
    });
  };

  const applyFill = async (manager: EntityManager, envelope: Envelope, event: Fill) => {
    const traded = amountCents(event.quantity, event.priceCents);
    const status = event.type === 'OrderFilled' ? 'FILLED' : 'PARTIALLY_FILLED';
    await manager.query(
      `UPDATE ${t('orders')} SET status = $3, filled_quantity = $4, filled_value_cents = filled_value_cents + $5,
         updated_at = $6 WHERE account_id = $1 AND order_id = $2`,
      [envelope.streamId, event.orderId, status, event.filledQuantity, traded, event.filledAt],
    );
    const buying = event.side === 'BUY';
    await touchAccount(
      manager,
      envelope,
      `cash_cents = cash_cents + $4, reserved_cash_cents = reserved_cash_cents - $5, realized_pnl_cents = realized_pnl_cents + $6`,
      [buying ? -traded : traded, event.releasedCashCents, event.realizedPnlCents],
    );
    // A sale's cost basis leaving is proceeds minus realized P&L, exactly as the decider's positions keep it.
    const costChange = buying ? traded : -(traded - event.realizedPnlCents);
    await manager.query(
      `INSERT INTO ${t('positions')} (account_id, symbol, quantity, cost_basis_cents, realized_pnl_cents)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id, symbol) DO UPDATE SET quantity = positions.quantity + EXCLUDED.quantity,
         cost_basis_cents = positions.cost_basis_cents + EXCLUDED.cost_basis_cents,
         realized_pnl_cents = positions.realized_pnl_cents + EXCLUDED.realized_pnl_cents`,
      [
        envelope.streamId,
        event.symbol,
        buying ? event.quantity : -event.quantity,
        costChange,
        event.realizedPnlCents,
      ],
    );
    await recordHistory(manager, envelope, {
      orderId: event.orderId,
      status,
      filledQuantity: event.filledQuantity,
      remainingQuantity: event.remainingQuantity,
      fill: { quantity: event.quantity, priceCents: event.priceCents },
      at: event.filledAt,
    });
  };

  return async (envelope, manager) => {
    const event = { type: envelope.type, ...(envelope.payload as object) } as PaperAccountEvent;
    switch (event.type) {
      case 'PaperAccountProvisioned':
        await manager.query(
          `INSERT INTO ${t('paper_accounts')} (account_id, user_id, connection_id, currency, status, starting_cash_cents,
             cash_cents, reserved_cash_cents, version, provisioned_at, updated_at)
           VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $5, 0, $6, $7, $7) ON CONFLICT DO NOTHING`,
          [
            envelope.streamId,
            event.userId,
            event.connectionId,
            event.currency,
            event.startingCashCents,
            envelope.streamVersion,
            event.provisionedAt,
          ],
        );
        return;
      case 'OrderPlaced':
        await manager.query(
          `INSERT INTO ${t('orders')} (account_id, order_id, user_id, symbol, side, order_type, time_in_force, quantity,
             limit_price_cents, status, placed_at, updated_at)
           SELECT $1, $2, user_id, $3, $4, $5, $6, $7, $8, 'NEW', $9, $9 FROM ${t('paper_accounts')} WHERE account_id = $1
           ON CONFLICT DO NOTHING`,
          [
            envelope.streamId,
            event.orderId,
            event.symbol,
            event.side,
            event.orderType,
            event.timeInForce,
            event.quantity,
            event.limitPriceCents,
            event.placedAt,
          ],
        );
        await touchAccount(manager, envelope, 'reserved_cash_cents = reserved_cash_cents + $4', [
          event.reservedCashCents,
        ]);
        await recordHistory(manager, envelope, {
          orderId: event.orderId,
          status: 'NEW',
          filledQuantity: 0,
          remainingQuantity: event.quantity,
          at: event.placedAt,
        });
        return;
      case 'OrderPartiallyFilled':
      case 'OrderFilled':
        return applyFill(manager, envelope, event);
      case 'OrderCancelled':
        return closeOrder(manager, envelope, event, 'CANCELLED', event.reason, event.cancelledAt);
      case 'OrderExpired':
        return closeOrder(manager, envelope, event, 'EXPIRED', undefined, event.expiredAt);
      case 'OrderRejected':
        await manager.query(
          `INSERT INTO ${t('orders')} (account_id, order_id, user_id, symbol, side, order_type, time_in_force, quantity,
             limit_price_cents, status, reject_code, reject_reason, placed_at, updated_at)
           SELECT $1, $2, user_id, $3, $4, $5, $6, $7, $8, 'REJECTED', $9, $10, $11, $11
           FROM ${t('paper_accounts')} WHERE account_id = $1 ON CONFLICT DO NOTHING`,
          [
            envelope.streamId,
            event.orderId,
            event.symbol,
            event.side,
            event.orderType,
            event.timeInForce,
            event.quantity,
            event.limitPriceCents,
            event.code,
            event.reason,
            event.rejectedAt,
          ],
        );
        await touchAccount(manager, envelope);
        await recordHistory(manager, envelope, {
          orderId: event.orderId,
          status: 'REJECTED',
          filledQuantity: 0,
          remainingQuantity: event.quantity,
          reason: event.code,
          at: event.rejectedAt,
        });
        return;
      case 'PaperAccountReset':
        await manager.query(`DELETE FROM ${t('positions')} WHERE account_id = $1`, [envelope.streamId]);
        await touchAccount(
          manager,
          envelope,
          'cash_cents = $4, reserved_cash_cents = 0, realized_pnl_cents = 0',
          [event.cashCents],
        );
        return;
      case 'PaperAccountPurged':
        return void (await touchAccount(manager, envelope, `status = 'PURGED'`));
      case 'PaperAccountRestored':
        return void (await touchAccount(manager, envelope, `status = 'ACTIVE'`));
      default: {
        const unhandled: never = event;
        throw new Error(`paper account projection cannot apply ${JSON.stringify(unhandled)}`);
      }
    }
  };
}
