import { type Decimal, type Message, type Reason, type Timestamp, typeNamesOf } from '../message';

/*
 * The life cycle of an order on a real broker account (Alpaca or TradeStation), published by
 * broker-connection, which alone holds the credentials and talks to the broker. Statuses,
 * kinds and refusal codes are the paper broker's, so a consumer treats both alike.
 */

export type BrokerOrderSide = 'BUY' | 'SELL';
export type BrokerOrderKind = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type BrokerOrderTimeInForce = 'DAY' | 'GTC';
export type RealBroker = 'alpaca' | 'tradestation';

/** Which account an order belongs to, and whose it is. */
export interface BrokerOrderRef {
  readonly orderId: string;
  readonly accountId: string;
  readonly connectionId: string;
  readonly userId: string;
}

export interface BrokerOrderTerms {
  readonly symbol: string;
  readonly side: BrokerOrderSide;
  readonly kind: BrokerOrderKind;
  readonly quantity: number;
  readonly limitPrice: Decimal | null;
  readonly stopPrice: Decimal | null;
  readonly timeInForce: BrokerOrderTimeInForce;
}

/** The order was sent to the broker (its client order id is `orderId`). */
export type BrokerOrderPlaced = Message<
  'BrokerOrderPlaced',
  BrokerOrderRef & BrokerOrderTerms & { broker: RealBroker; placedAt: Timestamp }
>;

/** The broker took it and gave it its own id. */
export type BrokerOrderAccepted = Message<
  'BrokerOrderAccepted',
  BrokerOrderRef & { brokerOrderId: string; acceptedAt: Timestamp }
>;

/** One execution; `positionQuantity` is the account's position in the symbol after it, as the broker reports it. */
interface FillFacts extends BrokerOrderRef {
  readonly symbol: string;
  readonly side: BrokerOrderSide;
  readonly quantity: number;
  readonly price: Decimal;
  readonly filledQuantity: number;
  readonly remainingQuantity: number;
  readonly averageFillPrice: Decimal;
  readonly positionQuantity: number | null;
  readonly filledAt: Timestamp;
}

export type BrokerOrderPartiallyFilled = Message<'BrokerOrderPartiallyFilled', FillFacts>;
export type BrokerOrderFilled = Message<'BrokerOrderFilled', FillFacts>;

export type BrokerOrderCancelled = Message<
  'BrokerOrderCancelled',
  BrokerOrderRef & { cancelledAt: Timestamp }
>;
export type BrokerOrderExpired = Message<'BrokerOrderExpired', BrokerOrderRef & { expiredAt: Timestamp }>;

/** Refused by the broker, up front or later; `reason.code` is the paper broker's code for the same refusal. */
export type BrokerOrderRejected = Message<
  'BrokerOrderRejected',
  BrokerOrderRef & { reason: Reason; rejectedAt: Timestamp }
>;

/** New terms in place of the old; the broker gave the replacement a new id. */
export type BrokerOrderReplaced = Message<
  'BrokerOrderReplaced',
  BrokerOrderRef & {
    brokerOrderId: string;
    quantity: number;
    limitPrice: Decimal | null;
    stopPrice: Decimal | null;
    timeInForce: BrokerOrderTimeInForce;
    replacedAt: Timestamp;
  }
>;

export type BrokerOrderEvent =
  | BrokerOrderPlaced
  | BrokerOrderAccepted
  | BrokerOrderPartiallyFilled
  | BrokerOrderFilled
  | BrokerOrderCancelled
  | BrokerOrderExpired
  | BrokerOrderRejected
  | BrokerOrderReplaced;

export const brokerOrderEventTypes = typeNamesOf<BrokerOrderEvent>({
  BrokerOrderPlaced: true,
  BrokerOrderAccepted: true,
  BrokerOrderPartiallyFilled: true,
  BrokerOrderFilled: true,
  BrokerOrderCancelled: true,
  BrokerOrderExpired: true,
  BrokerOrderRejected: true,
  BrokerOrderReplaced: true,
});
