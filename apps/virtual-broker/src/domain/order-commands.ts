import { requireOpenOrder, requireOwnedActiveAccount } from './account-access';
import { closedStatus } from './closed-orders';
import { DomainError } from '@tradecore/eventing/domain';
import { amountCents, formatCents, formatMoney, isWholeNumber, MAX_ORDER_QUANTITY } from './money';
import { cancellation } from './order-cancellation';
import { assertValidQuote } from './order-matching';
import { assertPricesFitType, buyReservePrice } from './order-terms';
import { matchQuote } from './order-triggers';
import type {
  CancelOrder,
  ExpireDayOrders,
  FillOrdersAgainstQuote,
  OrderCancelled,
  OrderExpired,
  OrderPlaced,
  OrderRejected,
  PaperAccountEvent,
  PlaceOrder,
  Quote,
  RecordOrderRejection,
} from './paper-account.messages';
import {
  buyingPowerCents,
  evolve,
  findOpenOrder,
  type PaperAccountState,
  remainingQuantity,
  reservedFor,
  sellableQuantity,
} from './paper-account.state';
import { toMillis } from './time';

export interface OrderRules {
  /** How far above the ask a market buy may fill, in basis points; its cash is reserved at that collar. */
  readonly marketBuyCollarBps: number;
  /**
   * How old the latest quote may be when an order arrives before it no longer counts as the
   * market: the feed has paused (it ticks on its own and has stopped). Absent: never stale, as
   * in manual mode, where the operator moves the market and a quote is current until the next tick.
   */
  readonly staleQuoteAfterMs?: number;
}

/** Refusals of a well-formed order that the trader should still find in their order history. */
const RECORDED_REJECTIONS: ReadonlySet<string> = new Set([
  'INSUFFICIENT_BUYING_POWER',
  'SHORT_SELLING_NOT_SUPPORTED',
  'SHARES_COMMITTED_TO_OPEN_ORDERS',
]);

const SYMBOL = /^[A-Z][A-Z0-9.]{0,9}$/;

export function placeOrder(
  command: PlaceOrder,
  state: PaperAccountState,
  rules: OrderRules,
): PaperAccountEvent[] {
  const account = requireOwnedActiveAccount(state, command.requestedBy);
  assertNewOrderId(account, command.orderId);
  assertWellFormed(command);
  assertValidQuote(command.quote, command.symbol);
  const placedAt = command.placedAt;
  const stale = quoteIsStale(command.quote, placedAt, 'placedAt', rules);
  if (stale && command.orderType === 'MARKET') refuseMarketOrderOnStaleQuote(command, rules);

  const reservePriceCents =
    command.side === 'BUY' ? buyReservePrice(command, rules.marketBuyCollarBps) : null;
  const reservedCashCents = reservePriceCents === null ? 0 : amountCents(command.quantity, reservePriceCents);
  if (command.side === 'BUY') assertBuyingPower(account, command, reservePriceCents ?? 0, reservedCashCents);
  else assertSharesToSell(account, command);

  const placed: OrderPlaced = {
    type: 'OrderPlaced',
    orderId: command.orderId,
    symbol: command.symbol,
    side: command.side,
    orderType: command.orderType,
    quantity: command.quantity,
    limitPriceCents: command.limitPriceCents,
    ...(command.stopPriceCents != null && { stopPriceCents: command.stopPriceCents }),
    ...(command.ocoGroupId !== undefined && { ocoGroupId: command.ocoGroupId }),
    timeInForce: command.timeInForce,
    reservePriceCents,
    reservedCashCents,
    placedAt,
  };
  // A limit or stop order is still taken while the feed is paused; it rests until a live quote reaches it.
  const fills = stale
    ? []
    : matchQuote(
        evolve(account, placed),
        command.quote,
        placedAt,
        (order) => order.orderId === command.orderId,
      );
  return [placed, ...fills];
}

/** The feed has paused: the quote is older, at `at`, than the rules let it count as the market. */
export function quoteIsStale(quote: Quote, at: string, atField: string, rules: OrderRules): boolean {
  const age = toMillis(at, atField) - toMillis(quote.quotedAt, 'quotedAt');
  return rules.staleQuoteAfterMs !== undefined && age > rules.staleQuoteAfterMs;
}

/** A market order takes whatever the market pays now; a frozen quote is not "now", so none is taken. */
function refuseMarketOrderOnStaleQuote({ quote, placedAt }: PlaceOrder, rules: OrderRules): never {
  const ageSeconds = Math.floor((Date.parse(placedAt) - Date.parse(quote.quotedAt)) / 1000);
  throw new DomainError(
    'QUOTE_STALE',
    `the latest ${quote.symbol} quote is ${ageSeconds} s old (from ${quote.quotedAt}): the market feed is paused, so a market order has no current price; try again shortly, or place a limit order, which waits for the feed`,
    {
      symbol: quote.symbol,
      quotedAt: quote.quotedAt,
      retryAfterSeconds: Math.max(1, Math.ceil((rules.staleQuoteAfterMs ?? 0) / 1000)),
    },
  );
}

/** The RecordOrderRejection a refused PlaceOrder deserves, or null when the refusal is not an order outcome (bad input, wrong account). */
export function rejectionOf(command: PlaceOrder, error: unknown): RecordOrderRejection | null {
  if (!(error instanceof DomainError) || !RECORDED_REJECTIONS.has(error.code)) return null;
  return {
    type: 'RecordOrderRejection',
    requestedBy: command.requestedBy,
    orderId: command.orderId,
    symbol: command.symbol,
    side: command.side,
    orderType: command.orderType,
    quantity: command.quantity,
    limitPriceCents: command.limitPriceCents,
    timeInForce: command.timeInForce,
    code: error.code,
    reason: error.message,
    rejectedAt: command.placedAt,
  };
}

export function recordOrderRejection(
  command: RecordOrderRejection,
  state: PaperAccountState,
): OrderRejected[] {
  const account = requireOwnedActiveAccount(state, command.requestedBy);
  assertNewOrderId(account, command.orderId);
  const { type: _type, requestedBy: _requestedBy, ...facts } = command;
  return [{ type: 'OrderRejected', ...facts }];
}

export function cancelOrder(command: CancelOrder, state: PaperAccountState): OrderCancelled[] {
  const account = requireOwnedActiveAccount(state, command.requestedBy);
  const order = requireOpenOrder(account, command.orderId, 'cancelled');
  return [cancellation(order, 'REQUESTED_BY_USER', command.cancelledAt)];
}

/** Only quotes newer than an order fill it: the quote it was placed with has already had its chance. */
export function fillOrdersAgainstQuote(
  command: FillOrdersAgainstQuote,
  state: PaperAccountState,
): PaperAccountEvent[] {
  const { quote } = command;
  assertValidQuote(quote, quote.symbol);
  const quotedAt = toMillis(quote.quotedAt, 'quotedAt');
  return matchQuote(state, quote, quote.quotedAt, (order) => Date.parse(order.placedAt) < quotedAt);
}

/** DAY orders placed after the session ended belong to the next session and stay open. */
export function expireDayOrders(command: ExpireDayOrders, state: PaperAccountState): OrderExpired[] {
  const sessionEnd = toMillis(command.sessionEndedAt, 'sessionEndedAt');
  return state.openOrders
    .filter((order) => order.timeInForce === 'DAY' && Date.parse(order.placedAt) <= sessionEnd)
    .map((order) => ({
      type: 'OrderExpired',
      orderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      remainingQuantity: remainingQuantity(order),
      releasedCashCents: reservedFor(order),
      expiredAt: command.sessionEndedAt,
    }));
}

function assertNewOrderId(state: PaperAccountState, orderId: string): void {
  if (!orderId) throw new DomainError('INVALID_ORDER_ID', 'an order needs a non-empty id');
  if (findOpenOrder(state, orderId) || closedStatus(state.closedOrders, orderId)) {
    throw new DomainError(
      'DUPLICATE_ORDER_ID',
      `order id ${orderId} is already used in this account; place the order with a new id`,
    );
  }
}

function assertWellFormed(command: PlaceOrder): void {
  if (!SYMBOL.test(command.symbol)) {
    throw new DomainError(
      'INVALID_SYMBOL',
      `"${command.symbol}" is not a symbol; use upper-case tickers such as AAPL or BRK.B`,
    );
  }
  if (!isWholeNumber(command.quantity) || command.quantity < 1 || command.quantity > MAX_ORDER_QUANTITY) {
    throw new DomainError(
      'INVALID_QUANTITY',
      `quantity must be a whole number of shares from 1 to ${MAX_ORDER_QUANTITY}, got ${command.quantity}; fractional shares are not supported`,
    );
  }
  assertPricesFitType(command);
}

function assertBuyingPower(
  state: PaperAccountState,
  command: PlaceOrder,
  reservePriceCents: number,
  requiredCents: number,
): void {
  const available = buyingPowerCents(state);
  if (requiredCents > available) {
    const affordable = Math.max(0, Math.floor(available / reservePriceCents));
    throw new DomainError(
      'INSUFFICIENT_BUYING_POWER',
      `buying ${command.quantity} ${command.symbol} at up to ${formatMoney(reservePriceCents, state.currency)} needs ` +
        `${formatMoney(requiredCents, state.currency)} but only ${formatMoney(available, state.currency)} of buying power is available; ` +
        `buy at most ${affordable} shares or cancel open buy orders`,
      {
        required: formatCents(requiredCents),
        available: formatCents(available),
        currency: state.currency,
        affordableQuantity: affordable,
      },
    );
  }
}

function assertSharesToSell(state: PaperAccountState, command: PlaceOrder): void {
  const held = state.positions[command.symbol]?.quantity ?? 0;
  const sellable = sellableQuantity(state, command.symbol, command.ocoGroupId);
  if (command.quantity > held) {
    throw new DomainError(
      'SHORT_SELLING_NOT_SUPPORTED',
      `short selling is not supported: you hold ${held} ${command.symbol} shares; sell at most the ${sellable} shares you hold that no open sell order has committed`,
      { heldQuantity: held, sellableQuantity: sellable },
    );
  }
  if (command.quantity > sellable) {
    throw new DomainError(
      'SHARES_COMMITTED_TO_OPEN_ORDERS',
      `${held - sellable} of your ${held} ${command.symbol} shares are committed to open sell orders; sell at most ${sellable} or cancel those orders first`,
      { heldQuantity: held, sellableQuantity: sellable },
    );
  }
}
