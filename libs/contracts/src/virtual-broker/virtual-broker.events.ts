import { type Decimal, type Message, type Reason, type Timestamp, typeNamesOf } from '../message';

export type OrderSide = 'buy' | 'sell';
/** As Alpaca's order types: a stop order becomes a market order, a stop_limit a limit order, once the stop price trades. */
export type OrderKind = 'market' | 'limit' | 'stop' | 'stop_limit';
export type TimeInForce = 'day' | 'gtc';
/** `one_cancels_other`: another order of its one-cancels-other group filled. */
export type OrderCancelReason =
  'requested_by_user' | 'account_reset' | 'account_purged' | 'connection_closing' | 'one_cancels_other';

export interface VirtualAccount {
  readonly virtualAccountId: string;
  /** ISO 4217, e.g. USD. */
  readonly currency: string;
  /** Up to two decimals, e.g. "100000.00". */
  readonly startingCash: Decimal;
}

/** Published once per command that provisioned anything new (key: connectionId). */
export type VirtualAccountsProvisioned = Message<
  'VirtualAccountsProvisioned',
  { connectionId: string; userId: string; accounts: readonly VirtualAccount[]; provisionedAt: Timestamp }
>;

/** Soft purge: the accounts are frozen with their cash and positions until restored (key: connectionId). */
export type VirtualAccountsPurged = Message<
  'VirtualAccountsPurged',
  { connectionId: string; virtualAccountIds: readonly string[]; purgedAt: Timestamp }
>;

export type VirtualAccountsRestored = Message<
  'VirtualAccountsRestored',
  { connectionId: string; virtualAccountIds: readonly string[]; restoredAt: Timestamp }
>;

/** The owner reset the account to its starting cash (key: virtualAccountId). */
export type VirtualAccountReset = Message<
  'VirtualAccountReset',
  { virtualAccountId: string; cash: Decimal; resetAt: Timestamp }
>;

/** Order events are keyed by virtualAccountId, so one account's orders arrive in order. */
export type OrderPlaced = Message<
  'OrderPlaced',
  {
    orderId: string;
    virtualAccountId: string;
    symbol: string;
    side: OrderSide;
    kind: OrderKind;
    timeInForce: TimeInForce;
    quantity: Decimal;
    limitPrice?: Decimal;
    /** stop and stop_limit orders. */
    stopPrice?: Decimal;
    /** Orders sharing it are one-cancels-other. */
    ocoGroupId?: string;
    /** Cash set aside for a buy (quantity × its limit or market collar); "0.00" for sells. Absent before this field existed. */
    reservedCash?: Decimal;
    placedAt: Timestamp;
  }
>;

interface FillFacts {
  orderId: string;
  virtualAccountId: string;
  symbol: string;
  side: OrderSide;
  /** Shares in this fill. */
  quantity: Decimal;
  price: Decimal;
  filledQuantity: Decimal;
  remainingQuantity: Decimal;
  /** Proceeds minus cost basis sold; "0.00" for buys. */
  realizedPnl: Decimal;
  /** Reservation this fill gave back (quantity × the reserve price); "0.00" for sells. Absent before this field existed. */
  releasedCash?: Decimal;
  filledAt: Timestamp;
}

export type OrderPartiallyFilled = Message<'OrderPartiallyFilled', FillFacts>;

/** The fill that completed the order. */
export type OrderFilled = Message<'OrderFilled', FillFacts>;

export type OrderCancelled = Message<
  'OrderCancelled',
  {
    orderId: string;
    virtualAccountId: string;
    reason: OrderCancelReason;
    /** Reservation the cancel gave back. Absent before this field existed. */
    releasedCash?: Decimal;
    cancelledAt: Timestamp;
  }
>;

/**
 * The owner gave an open order new terms (PATCH); it keeps its id, status and fills, as a real
 * account's order does in BrokerOrderReplaced. The reservation of what is left to fill moves from
 * `releasedCash` to `reservedCash`.
 */
export type OrderReplaced = Message<
  'OrderReplaced',
  {
    orderId: string;
    virtualAccountId: string;
    symbol: string;
    side: OrderSide;
    kind: OrderKind;
    timeInForce: TimeInForce;
    /** The new total, shares already filled included. */
    quantity: Decimal;
    filledQuantity: Decimal;
    remainingQuantity: Decimal;
    limitPrice?: Decimal;
    stopPrice?: Decimal;
    reservedCash: Decimal;
    releasedCash: Decimal;
    replacedAt: Timestamp;
  }
>;

/** A DAY order still open at the session close. */
export type OrderExpired = Message<
  'OrderExpired',
  { orderId: string; virtualAccountId: string; releasedCash?: Decimal; expiredAt: Timestamp }
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

export interface SymbolMark {
  readonly symbol: string;
  readonly bid: Decimal;
  readonly ask: Decimal;
}

/**
 * The quotes of one tick, so followers value positions as the paper broker does (at the mid,
 * unpriced ones at cost). Published by whichever replica ticks (key: "market").
 */
export type MarketMarked = Message<
  'MarketMarked',
  { tick: number; marks: readonly SymbolMark[]; markedAt: Timestamp }
>;

export type VirtualBrokerEvent =
  | VirtualAccountsProvisioned
  | VirtualAccountsPurged
  | VirtualAccountsRestored
  | VirtualAccountReset
  | OrderPlaced
  | OrderPartiallyFilled
  | OrderFilled
  | OrderReplaced
  | OrderCancelled
  | OrderExpired
  | OrderRejected
  | OpenOrdersCancelled
  | MarketMarked;

export const virtualBrokerEventTypes = typeNamesOf<VirtualBrokerEvent>({
  VirtualAccountsProvisioned: true,
  VirtualAccountsPurged: true,
  VirtualAccountsRestored: true,
  VirtualAccountReset: true,
  OrderPlaced: true,
  OrderPartiallyFilled: true,
  OrderFilled: true,
  OrderReplaced: true,
  OrderCancelled: true,
  OrderExpired: true,
  OrderRejected: true,
  OpenOrdersCancelled: true,
  MarketMarked: true,
});
