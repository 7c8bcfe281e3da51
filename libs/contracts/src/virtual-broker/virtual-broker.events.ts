import { Decimal, Message, Reason, Timestamp, typeNamesOf } from '../message';

export type OrderSide = 'buy' | 'sell';
export type OrderKind = 'market' | 'limit';

export interface VirtualAccount {
  readonly virtualAccountId: string;
  readonly currency: string;
  readonly startingCash: Decimal;
}

export type VirtualAccountsProvisioned = Message<
  'VirtualAccountsProvisioned',
  { connectionId: string; userId: string; accounts: readonly VirtualAccount[]; provisionedAt: Timestamp }
>;

/** Soft purge: orders, fills and positions are hidden and restorable until the connection itself is purged. */
export type VirtualAccountsPurged = Message<
  'VirtualAccountsPurged',
  { connectionId: string; virtualAccountIds: readonly string[]; purgedAt: Timestamp }
>;

export type VirtualAccountsRestored = Message<
  'VirtualAccountsRestored',
  { connectionId: string; virtualAccountIds: readonly string[]; restoredAt: Timestamp }
>;

export type OrderPlaced = Message<
  'OrderPlaced',
  {
    orderId: string;
    virtualAccountId: string;
    symbol: string;
    side: OrderSide;
    kind: OrderKind;
    quantity: Decimal;
    limitPrice?: Decimal;
    placedAt: Timestamp;
  }
>;

export type OrderFilled = Message<
  'OrderFilled',
  {
    orderId: string;
    virtualAccountId: string;
    symbol: string;
    side: OrderSide;
    quantity: Decimal;
    price: Decimal;
    filledAt: Timestamp;
  }
>;

export type OrderCancelled = Message<
  'OrderCancelled',
  { orderId: string; virtualAccountId: string; cancelledAt: Timestamp }
>;

export type OrderRejected = Message<
  'OrderRejected',
  { orderId: string; virtualAccountId: string; reason: Reason; rejectedAt: Timestamp }
>;

/** Emitted after CancelOpenOrders even when nothing was open, so the saga step can complete. */
export type OpenOrdersCancelled = Message<
  'OpenOrdersCancelled',
  {
    connectionId: string;
    virtualAccountIds: readonly string[];
    cancelledOrderIds: readonly string[];
    cancelledAt: Timestamp;
  }
>;

export type VirtualBrokerEvent =
  | VirtualAccountsProvisioned
  | VirtualAccountsPurged
  | VirtualAccountsRestored
  | OrderPlaced
  | OrderFilled
  | OrderCancelled
  | OrderRejected
  | OpenOrdersCancelled;

export const virtualBrokerEventTypes = typeNamesOf<VirtualBrokerEvent>({
  VirtualAccountsProvisioned: true,
  VirtualAccountsPurged: true,
  VirtualAccountsRestored: true,
  OrderPlaced: true,
  OrderFilled: true,
  OrderCancelled: true,
  OrderRejected: true,
  OpenOrdersCancelled: true,
});
