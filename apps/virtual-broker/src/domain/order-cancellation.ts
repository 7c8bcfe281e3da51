import type { OrderCancelled } from './paper-account.messages';
import { type OpenOrder, remainingQuantity, reservedFor } from './paper-account.state';

/** Ending an open order gives back what it still reserves. */
export function cancellation(
  order: OpenOrder,
  reason: OrderCancelled['reason'],
  cancelledAt: string,
): OrderCancelled {
  return {
    type: 'OrderCancelled',
    orderId: order.orderId,
    symbol: order.symbol,
    side: order.side,
    remainingQuantity: remainingQuantity(order),
    releasedCashCents: reservedFor(order),
    reason,
    cancelledAt,
  };
}
