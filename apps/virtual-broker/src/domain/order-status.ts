/** The order life cycle; every transition is one event, which together form the order history. */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELLED' | 'REJECTED' | 'EXPIRED';
export type ClosedOrderStatus = Exclude<OrderStatus, 'NEW' | 'PARTIALLY_FILLED'>;
