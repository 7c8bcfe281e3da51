import { paperAccountDecider } from '../paper-account.decider';
import type {
  FillOrdersAgainstQuote,
  OrderFilled,
  OrderPlaced,
  OrderSide,
  PaperAccountProvisioned,
  PlaceOrder,
  Quote,
  ReplaceOrder,
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

interface FillOutcome {
  readonly releasedCashCents?: number;
  readonly realizedPnlCents?: number;
  readonly filledAt?: string;
}

/** All of an order filled at once: `releasedCashCents` of a buy's reserve given back, a sell's `realizedPnlCents`. */
export function filledAtOnce(
  order: Pick<OrderFilled, 'orderId' | 'symbol' | 'side' | 'quantity' | 'priceCents'>,
  { releasedCashCents = 0, realizedPnlCents = 0, filledAt = at(10) }: FillOutcome = {},
): OrderFilled {
  return {
    type: 'OrderFilled',
    ...order,
    filledQuantity: order.quantity,
    remainingQuantity: 0,
    releasedCashCents,
    realizedPnlCents,
    filledAt,
  };
}

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
