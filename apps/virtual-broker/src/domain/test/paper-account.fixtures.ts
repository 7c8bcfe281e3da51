import { paperAccountDecider } from '../paper-account.decider';
import type {
  CancelReason,
  FillOrdersAgainstQuote,
  OrderCancelled,
  OrderExpired,
  OrderFilled,
  OrderPartiallyFilled,
  OrderPlaced,
  OrderSide,
  PaperAccountProvisioned,
  PlaceOrder,
  Quote,
  ReplaceOrder,
  TimeInForce,
} from '../paper-account.messages';
import { specFor } from '@tradecore/eventing/testing';

export const given = specFor(paperAccountDecider);

export const ACCOUNT_ID = 'paper-1';
export const OWNER = 'user-1';
export const STRANGER = 'user-2';

/** Seconds after 2026-01-05T14:30:00Z, so tests read as a timeline. */
export function at(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 5, 14, 30, seconds)).toISOString();
}

export function provisioned(startingCashCents: number): PaperAccountProvisioned {
  return {
    type: 'PaperAccountProvisioned',
    accountId: ACCOUNT_ID,
    userId: OWNER,
    connectionId: 'connection-1',
    currency: 'USD',
    startingCashCents,
    provisionedAt: at(0),
  };
}

export function quote(
  symbol: string,
  bidCents: number,
  askCents: number,
  quotedAt: string,
  sizes = { bidSize: 1_000, askSize: 1_000 },
): Quote {
  return { symbol, bidCents, askCents, ...sizes, quotedAt };
}

/** AAPL bid 101.00, ask 101.10 at 10 s: the quote an order is placed against when its price does not matter. */
export const AAPL_ABOVE_100 = quote('AAPL', 10_100, 10_110, at(10));

/** The feed's next quote, which fills what it crosses. */
export function tick(q: Quote): FillOrdersAgainstQuote {
  return { type: 'FillOrdersAgainstQuote', quote: q };
}

/** The owner's PATCH of an order, against the given quotes; what is left out stays. */
export function replaceOrder(
  orderId: string,
  changes: Partial<Pick<ReplaceOrder, 'quantity' | 'limitPriceCents' | 'stopPriceCents' | 'timeInForce'>>,
  quotes: readonly Quote[],
  replacedAt = quotes[0]?.quotedAt ?? at(20),
): ReplaceOrder {
  return { type: 'ReplaceOrder', requestedBy: OWNER, orderId, ...changes, quotes, replacedAt };
}

type OrderTerms = Pick<PlaceOrder, 'orderId' | 'side' | 'orderType' | 'quantity' | 'quote'> &
  Partial<
    Pick<
      PlaceOrder,
      | 'limitPriceCents'
      | 'stopPriceCents'
      | 'ocoGroupId'
      | 'timeInForce'
      | 'requestedBy'
      | 'placedAt'
      | 'symbol'
    >
  >;

export function placeOrder(terms: OrderTerms): PlaceOrder {
  return {
    type: 'PlaceOrder',
    requestedBy: OWNER,
    symbol: terms.quote.symbol,
    limitPriceCents: null,
    timeInForce: 'DAY',
    placedAt: terms.quote.quotedAt,
    ...terms,
  };
}

/** The owner's day limit order, against `against` (by default AAPL_ABOVE_100). */
export const limitOrder = (
  orderId: string,
  side: OrderSide,
  quantity: number,
  limitPriceCents: number | null,
  against = AAPL_ABOVE_100,
): PlaceOrder => placeOrder({ orderId, side, orderType: 'LIMIT', quantity, limitPriceCents, quote: against });

/** The owner's day market order, against `against` (by default AAPL_ABOVE_100). */
export const marketOrder = (
  orderId: string,
  side: OrderSide,
  quantity: number,
  against = AAPL_ABOVE_100,
): PlaceOrder => placeOrder({ orderId, side, orderType: 'MARKET', quantity, quote: against });

type PlacedTerms = Pick<OrderPlaced, 'orderId' | 'symbol' | 'side' | 'quantity'> &
  Partial<
    Pick<
      OrderPlaced,
      | 'orderType'
      | 'limitPriceCents'
      | 'stopPriceCents'
      | 'ocoGroupId'
      | 'timeInForce'
      | 'placedAt'
      | 'reservePriceCents'
    >
  >;

/** A resting order as history; a buy reserves quantity × its reserve price (the limit unless given). */
export function orderPlaced(terms: PlacedTerms): OrderPlaced {
  const limitPriceCents = terms.limitPriceCents ?? null;
  const reservePriceCents = terms.side === 'BUY' ? (terms.reservePriceCents ?? limitPriceCents) : null;
  return {
    type: 'OrderPlaced',
    orderType: 'LIMIT',
    timeInForce: 'DAY',
    placedAt: at(1),
    ...terms,
    limitPriceCents,
    reservePriceCents,
    reservedCashCents: reservePriceCents === null ? 0 : terms.quantity * reservePriceCents,
  };
}

/** The owner's AAPL limit order resting since `placedAt`, as history. */
export const limitPlaced = (
  orderId: string,
  side: OrderSide,
  quantity: number,
  limitPriceCents: number,
  placedAt = at(1),
  timeInForce: TimeInForce = 'DAY',
): OrderPlaced =>
  orderPlaced({ orderId, symbol: 'AAPL', side, quantity, limitPriceCents, placedAt, timeInForce });

/** The owner's AAPL market order placed at `placedAt`, as history; a buy reserves at `reservePriceCents`. */
export const marketPlaced = (
  orderId: string,
  side: OrderSide,
  quantity: number,
  placedAt: string,
  reservePriceCents?: number,
): OrderPlaced =>
  orderPlaced({ orderId, symbol: 'AAPL', side, orderType: 'MARKET', quantity, placedAt, reservePriceCents });

/** A stop sell of the ten AAPL shares a test holds, at 95.00. */
export const stopLossPlaced = (
  terms: Partial<Pick<OrderPlaced, 'orderType' | 'limitPriceCents' | 'ocoGroupId' | 'placedAt'>> = {},
): OrderPlaced =>
  orderPlaced({
    orderId: 'sl-1',
    symbol: 'AAPL',
    side: 'SELL',
    orderType: 'STOP',
    quantity: 10,
    stopPriceCents: 9_500,
    ...terms,
  });

type FillOf = Pick<OrderFilled, 'orderId' | 'symbol' | 'side' | 'quantity' | 'priceCents'>;

interface FillOutcome {
  readonly releasedCashCents?: number;
  readonly realizedPnlCents?: number;
  readonly filledAt?: string;
}

interface FillSoFar extends FillOutcome {
  readonly filledQuantity: number;
  readonly remainingQuantity: number;
}

function fillFacts(
  order: FillOf,
  {
    filledQuantity,
    remainingQuantity,
    releasedCashCents = 0,
    realizedPnlCents = 0,
    filledAt = at(10),
  }: FillSoFar,
) {
  return { ...order, filledQuantity, remainingQuantity, releasedCashCents, realizedPnlCents, filledAt };
}

/** All of an order filled at once: `releasedCashCents` of a buy's reserve given back, a sell's `realizedPnlCents`. */
export function filledAtOnce(order: FillOf, outcome: FillOutcome = {}): OrderFilled {
  return {
    type: 'OrderFilled',
    ...fillFacts(order, { ...outcome, filledQuantity: order.quantity, remainingQuantity: 0 }),
  };
}

/** `quantity` shares of an order filled, `filledQuantity` of it so far, `remainingQuantity` still working. */
export function partiallyFilled(order: FillOf, soFar: FillSoFar): OrderPartiallyFilled {
  return { type: 'OrderPartiallyFilled', ...fillFacts(order, soFar) };
}

/** The last `quantity` shares of an order filled before in part: `filledQuantity` of it in all, none left. */
export function filledTheRest(order: FillOf, outcome: FillOutcome & { filledQuantity: number }): OrderFilled {
  return { type: 'OrderFilled', ...fillFacts(order, { ...outcome, remainingQuantity: 0 }) };
}

type Unfilled = Pick<OrderCancelled, 'orderId' | 'side' | 'remainingQuantity'> & {
  readonly symbol?: string;
  readonly releasedCashCents?: number;
};

/** What was left of an (AAPL) order cancelled for `reason`; a buy gives back `releasedCashCents` of its reserve. */
export function orderCancelled(
  { symbol = 'AAPL', releasedCashCents = 0, ...order }: Unfilled,
  reason: CancelReason,
  cancelledAt: string,
): OrderCancelled {
  return { type: 'OrderCancelled', ...order, symbol, releasedCashCents, reason, cancelledAt };
}

/** What was left of an (AAPL) DAY order when the session ended. */
export function orderExpired(
  { symbol = 'AAPL', releasedCashCents = 0, ...order }: Unfilled,
  expiredAt: string,
): OrderExpired {
  return { type: 'OrderExpired', ...order, symbol, releasedCashCents, expiredAt };
}

/** The AAPL position: `quantity` shares that cost `costBasisCents` in all, and the P&L realized so far. */
export const aaplPosition = (quantity: number, costBasisCents: number, realizedPnlCents = 0) => ({
  symbol: 'AAPL',
  quantity,
  costBasisCents,
  realizedPnlCents,
});

/** History of a completed buy, to start a test holding shares. */
export function bought(
  orderId: string,
  symbol: string,
  quantity: number,
  priceCents: number,
  filledAt = at(2),
) {
  return [
    orderPlaced({ orderId, symbol, side: 'BUY', quantity, limitPriceCents: priceCents, placedAt: filledAt }),
    filledAtOnce(
      { orderId, symbol, side: 'BUY', quantity, priceCents },
      { releasedCashCents: quantity * priceCents, filledAt },
    ),
  ];
}
