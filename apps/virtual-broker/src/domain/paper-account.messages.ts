/** Commands and events of the paper account; money is integer cents, times are ISO-8601 UTC strings. */

export type OrderSide = 'BUY' | 'SELL';
/** As Alpaca: a stop order turns into a market order, a stop-limit into a limit, once its stop price trades. */
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type TimeInForce = 'DAY' | 'GTC';
export type CancelReason =
  'REQUESTED_BY_USER' | 'ACCOUNT_RESET' | 'ACCOUNT_PURGED' | 'CONNECTION_CLOSING' | 'ONE_CANCELS_OTHER';

/** Top of book for one symbol at one moment, as the simulated feed publishes it. */
export interface Quote {
  readonly symbol: string;
  readonly bidCents: number;
  readonly askCents: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly quotedAt: string;
}

export type ProvisionPaperAccount = {
  readonly type: 'ProvisionPaperAccount';
  readonly accountId: string;
  readonly userId: string;
  readonly connectionId: string;
  readonly currency: string;
  readonly startingCashCents: number;
  readonly provisionedAt: string;
};

export type PlaceOrder = {
  readonly type: 'PlaceOrder';
  readonly requestedBy: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly limitPriceCents: number | null;
  /** STOP and STOP_LIMIT only: a buy triggers once the ask reaches it, a sell once the bid falls to it. */
  readonly stopPriceCents?: number | null;
  /** Orders sharing it are one-cancels-other: the first fill of one cancels the rest, and sells hold their shares once. */
  readonly ocoGroupId?: string;
  readonly timeInForce: TimeInForce;
  /** The latest quote for the symbol: prices a market order's reservation and fills what it crosses now. */
  readonly quote: Quote;
  readonly placedAt: string;
};

/** Written by the place-order handler after PlaceOrder was refused, so the refusal shows in order history. */
export type RecordOrderRejection = {
  readonly type: 'RecordOrderRejection';
  readonly requestedBy: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly limitPriceCents: number | null;
  readonly timeInForce: TimeInForce;
  readonly code: string;
  readonly reason: string;
  readonly rejectedAt: string;
};

/**
 * New terms for an open order (Alpaca's PATCH); what is left out stays. The order keeps its id,
 * status and fills, as an order replaced on a real account does.
 */
export type ReplaceOrder = {
  readonly type: 'ReplaceOrder';
  readonly requestedBy: string;
  readonly orderId: string;
  /** The new total quantity, shares already filled included. */
  readonly quantity?: number;
  readonly limitPriceCents?: number;
  readonly stopPriceCents?: number;
  readonly timeInForce?: TimeInForce;
  /** The latest quote of every symbol: the order's prices its reservation and fills what the new terms cross now. */
  readonly quotes: readonly Quote[];
  readonly replacedAt: string;
};

export type CancelOrder = {
  readonly type: 'CancelOrder';
  readonly requestedBy: string;
  readonly orderId: string;
  readonly cancelledAt: string;
};

/** A saga step while the broker connection is being disconnected: nothing may trade any more. */
export type CancelOpenOrders = {
  readonly type: 'CancelOpenOrders';
  readonly cancelledAt: string;
};

export type FillOrdersAgainstQuote = {
  readonly type: 'FillOrdersAgainstQuote';
  readonly quote: Quote;
};

export type ExpireDayOrders = {
  readonly type: 'ExpireDayOrders';
  readonly sessionEndedAt: string;
};

export type ResetPaperAccount = {
  readonly type: 'ResetPaperAccount';
  readonly requestedBy: string;
  readonly resetAt: string;
};

export type PurgePaperAccount = {
  readonly type: 'PurgePaperAccount';
  readonly purgedAt: string;
};

export type RestorePaperAccount = {
  readonly type: 'RestorePaperAccount';
  readonly restoredAt: string;
};

export type PaperAccountCommand =
  | ProvisionPaperAccount
  | PlaceOrder
  | RecordOrderRejection
  | ReplaceOrder
  | CancelOrder
  | CancelOpenOrders
  | FillOrdersAgainstQuote
  | ExpireDayOrders
  | ResetPaperAccount
  | PurgePaperAccount
  | RestorePaperAccount;

export type PaperAccountProvisioned = {
  readonly type: 'PaperAccountProvisioned';
  readonly accountId: string;
  readonly userId: string;
  readonly connectionId: string;
  readonly currency: string;
  readonly startingCashCents: number;
  readonly provisionedAt: string;
};

export type OrderPlaced = {
  readonly type: 'OrderPlaced';
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly limitPriceCents: number | null;
  /** Absent in events from before stop orders existed. */
  readonly stopPriceCents?: number | null;
  readonly ocoGroupId?: string;
  readonly timeInForce: TimeInForce;
  /** Highest price per share a buy may fill at (its limit, or the market order's collar); null for sells. */
  readonly reservePriceCents: number | null;
  /** quantity × reservePriceCents for buys, 0 for sells. */
  readonly reservedCashCents: number;
  readonly placedAt: string;
};

type FillFacts = {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly priceCents: number;
  readonly filledQuantity: number;
  readonly remainingQuantity: number;
  /** Reservation given back by this fill (quantity × reserve price); 0 for sells. */
  readonly releasedCashCents: number;
  /** Proceeds minus the cost basis sold; 0 for buys. */
  readonly realizedPnlCents: number;
  readonly filledAt: string;
};

/** A stop or stop-limit order's stop price traded: from now on it fills as a market or limit order. */
export type OrderTriggered = {
  readonly type: 'OrderTriggered';
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly stopPriceCents: number;
  readonly triggeredAt: string;
};

export type OrderPartiallyFilled = { readonly type: 'OrderPartiallyFilled' } & FillFacts;
export type OrderFilled = { readonly type: 'OrderFilled' } & FillFacts;

export type OrderCancelled = {
  readonly type: 'OrderCancelled';
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly remainingQuantity: number;
  readonly releasedCashCents: number;
  readonly reason: CancelReason;
  readonly cancelledAt: string;
};

/** Open under new terms; the reservation of what is left to fill moves from the old terms to the new. */
export type OrderReplaced = {
  readonly type: 'OrderReplaced';
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly status: 'NEW' | 'PARTIALLY_FILLED';
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly remainingQuantity: number;
  readonly limitPriceCents: number | null;
  readonly stopPriceCents: number | null;
  readonly timeInForce: TimeInForce;
  readonly reservePriceCents: number | null;
  /** remainingQuantity × the new reserve price for buys, 0 for sells. */
  readonly reservedCashCents: number;
  /** What the old terms held back for the same shares. */
  readonly releasedCashCents: number;
  readonly replacedAt: string;
};

export type OrderExpired = {
  readonly type: 'OrderExpired';
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly remainingQuantity: number;
  readonly releasedCashCents: number;
  readonly expiredAt: string;
};

export type OrderRejected = {
  readonly type: 'OrderRejected';
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly limitPriceCents: number | null;
  readonly timeInForce: TimeInForce;
  readonly code: string;
  readonly reason: string;
  readonly rejectedAt: string;
};

export type PaperAccountReset = {
  readonly type: 'PaperAccountReset';
  readonly cashCents: number;
  readonly resetAt: string;
};

export type PaperAccountPurged = {
  readonly type: 'PaperAccountPurged';
  readonly purgedAt: string;
};

export type PaperAccountRestored = {
  readonly type: 'PaperAccountRestored';
  readonly restoredAt: string;
};

export type PaperAccountEvent =
  | PaperAccountProvisioned
  | OrderPlaced
  | OrderTriggered
  | OrderPartiallyFilled
  | OrderFilled
  | OrderReplaced
  | OrderCancelled
  | OrderExpired
  | OrderRejected
  | PaperAccountReset
  | PaperAccountPurged
  | PaperAccountRestored;
