import type { ClosedOrderStatus } from './order-status';

/**
 * Every order an account ever closed, by id, in chunks of at most CHUNK_SIZE. Closing an order
 * copies the last chunk and the list of chunks instead of every closed order, so replaying a
 * stream stays linear in its events however many orders the account has closed.
 */
export type ClosedOrders = readonly Readonly<Record<string, ClosedOrderStatus>>[];

export const CHUNK_SIZE = 32;

export function closedStatus(closed: ClosedOrders, orderId: string): ClosedOrderStatus | undefined {
  for (let index = closed.length - 1; index >= 0; index -= 1) {
    if (Object.hasOwn(closed[index], orderId)) return closed[index][orderId];
  }
  return undefined;
}

export function withClosedOrder(
  closed: ClosedOrders,
  orderId: string,
  status: ClosedOrderStatus,
): ClosedOrders {
  const last = closed.at(-1);
  if (!last || Object.keys(last).length >= CHUNK_SIZE) return [...closed, { [orderId]: status }];
  return [...closed.slice(0, -1), { ...last, [orderId]: status }];
}

/** All of them in one record, later closes winning, for reading them as a whole. */
export function closedOrderStatuses(closed: ClosedOrders): Record<string, ClosedOrderStatus> {
  return Object.assign({}, ...closed) as Record<string, ClosedOrderStatus>;
}
