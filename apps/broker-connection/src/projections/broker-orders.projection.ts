import type { Envelope, InlineProjector } from '@tradecore/eventing';
import { prepared, queryPrepared } from '@tradecore/eventing';
import type { BrokerOrderEvent } from '../domain/broker-order.decider';

/**
 * Inline, so the trader reads their order right after placing it. Every event adds a history
 * entry; parameters 1–4 are always the order, the event's time, its version and the entry.
 */
export function brokerOrdersProjection(schema: string): InlineProjector {
  const table = `"${schema}".broker_orders`;
  const update = (...changes: string[]) =>
    prepared(
      'broker_orders',
      `UPDATE ${table} SET ${['updated_at = $2', 'version = $3', 'history = history || $4::jsonb', ...changes].join(', ')}
       WHERE order_id = $1`,
    );
  const statements = {
    placed: prepared(
      'broker_orders',
      `INSERT INTO ${table} (order_id, placed_at, updated_at, version, history, account_id, connection_id, user_id,
         symbol, side, kind, quantity, limit_price, stop_price, time_in_force, status)
       VALUES ($1, $2, $2, $3, jsonb_build_array($4::jsonb), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'NEW')`,
    ),
    accepted: update('broker_order_id = $5'),
    filled: update('status = $5, filled_quantity = $6, average_fill_price = $7'),
    status: update('status = $5'),
    rejected: update(`status = 'REJECTED', rejection = $5`),
    replaced: update(
      'broker_order_id = $5, quantity = $6, limit_price = $7, stop_price = $8, time_in_force = $9',
    ),
  };

  return async (envelope: Envelope, manager) => {
    const event = { type: envelope.type, ...(envelope.payload as object) } as BrokerOrderEvent;
    const entry = JSON.stringify(historyEntry(event, envelope.occurredAt));
    const run = (statement: keyof typeof statements, ...values: unknown[]) =>
      queryPrepared(manager, statements[statement], [
        envelope.streamId,
        envelope.occurredAt,
        envelope.streamVersion,
        entry,
        ...values,
      ]);
    switch (event.type) {
      case 'BrokerOrderPlaced':
        return void (await run(
          'placed',
          event.accountId,
          event.connectionId,
          event.userId,
          event.symbol,
          event.side,
          event.kind,
          event.quantity,
          event.limitPrice,
          event.stopPrice,
          event.timeInForce,
        ));
      case 'BrokerOrderAccepted':
        return void (await run('accepted', event.brokerOrderId));
      case 'BrokerOrderPartiallyFilled':
      case 'BrokerOrderFilled':
        return void (await run(
          'filled',
          event.type === 'BrokerOrderFilled' ? 'FILLED' : 'PARTIALLY_FILLED',
          event.filledQuantity,
          event.averageFillPrice,
        ));
      case 'BrokerOrderCancelled':
        return void (await run('status', 'CANCELLED'));
      case 'BrokerOrderExpired':
        return void (await run('status', 'EXPIRED'));
      case 'BrokerOrderRejected':
        return void (await run('rejected', JSON.stringify(event.reason)));
      case 'BrokerOrderReplaced':
        return void (await run(
          'replaced',
          event.brokerOrderId,
          event.quantity,
          event.limitPrice,
          event.stopPrice,
          event.timeInForce,
        ));
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  };
}

/** What GET …/orders/:orderId lists: each change, with the fill's size and price when it was one. */
function historyEntry(event: BrokerOrderEvent, at: string) {
  const fill =
    event.type === 'BrokerOrderFilled' || event.type === 'BrokerOrderPartiallyFilled'
      ? { fill: { quantity: event.quantity, price: event.price }, filledQuantity: event.filledQuantity }
      : {};
  const reason = event.type === 'BrokerOrderRejected' ? { reason: event.reason.code } : {};
  return { type: event.type, ...fill, ...reason, at };
}
