import { DomainError } from '@tradecore/eventing/domain';
import { requireOpenOrder, requireOwnedActiveAccount } from './account-access';
import { amountCents, formatCents, formatMoney, isWholeNumber, MAX_ORDER_QUANTITY } from './money';
import { type OrderRules, quoteIsStale } from './order-commands';
import { assertValidQuote } from './order-matching';
import { assertPricesFitType, buyReservePrice } from './order-terms';
import { matchQuote } from './order-triggers';
import type { OrderReplaced, PaperAccountEvent, Quote, ReplaceOrder } from './paper-account.messages';
import {
  buyingPowerCents,
  evolve,
  type OpenOrder,
  type PaperAccountState,
  reservedFor,
  sellableQuantity,
} from './paper-account.state';

/**
 * Replacing amends the order in place: it keeps its id, status and fills, as an order replaced on
 * a real account does (broker-connection records Alpaca's replacement under the same order id), so
 * every follower sees one order with one life cycle. The new terms pass the checks a new order
 * would, counting only what they add to what the order already holds back.
 */
export function replaceOrder(
  command: ReplaceOrder,
  state: PaperAccountState,
  rules: OrderRules,
): PaperAccountEvent[] {
  const { quantity, limitPriceCents, stopPriceCents, timeInForce } = command;
  // Checked first, as broker-connection does, so both answer an empty request alike.
  if ([quantity, limitPriceCents, stopPriceCents, timeInForce].every((change) => change === undefined))
    throw new DomainError(
      'NOTHING_TO_REPLACE',
      'name at least one of quantity, limitPrice, stopPrice, timeInForce',
    );
  const account = requireOwnedActiveAccount(state, command.requestedBy);
  const order = requireOpenOrder(account, command.orderId, 'replaced');
  const terms = {
    orderType: order.orderType,
    quantity: quantity ?? order.quantity,
    limitPriceCents: limitPriceCents ?? order.limitPriceCents,
    stopPriceCents: stopPriceCents ?? order.stopPriceCents ?? null,
    timeInForce: timeInForce ?? order.timeInForce,
  };
  assertPricesFitType(terms);
  if (order.triggered && stopPriceCents !== undefined)
    throw new DomainError(
      'INVALID_STOP_PRICE',
      `order ${order.orderId}'s stop price has already traded; change its limit price or quantity instead`,
    );
  assertQuantity(order, terms.quantity);
  const quote = quoteOf(command, order.symbol);
  const remainingQuantity = terms.quantity - order.filledQuantity;
  const reservePriceCents =
    order.side === 'BUY' ? newReservePrice(order, { ...terms, quote }, stopPriceCents, rules) : null;
  const replaced: OrderReplaced = {
    type: 'OrderReplaced',
    orderId: order.orderId,
    symbol: order.symbol,
    side: order.side,
    status: order.status,
    ...terms,
    filledQuantity: order.filledQuantity,
    remainingQuantity,
    reservePriceCents,
    reservedCashCents: reservePriceCents === null ? 0 : amountCents(remainingQuantity, reservePriceCents),
    releasedCashCents: reservedFor(order),
    replacedAt: command.replacedAt,
  };
  if (order.side === 'BUY') assertBuyingPower(account, replaced);
  else assertSharesToSell(account, order, remainingQuantity);
  // As at placement: the new terms take what the current quote crosses now, unless the feed has paused.
  if (quoteIsStale(quote, command.replacedAt, 'replacedAt', rules)) return [replaced];
  const fills = matchQuote(
    evolve(account, replaced),
    quote,
    command.replacedAt,
    (open) => open.orderId === order.orderId,
  );
  return [replaced, ...fills];
}

function quoteOf(command: ReplaceOrder, symbol: string): Quote {
  const quote = command.quotes.find((candidate) => candidate.symbol === symbol);
  if (!quote)
    throw new DomainError('UNKNOWN_SYMBOL', `the paper broker has no quote for ${symbol}; try again shortly`);
  assertValidQuote(quote, symbol);
  return quote;
}

function assertQuantity(order: OpenOrder, quantity: number): void {
  if (!isWholeNumber(quantity) || quantity <= order.filledQuantity || quantity > MAX_ORDER_QUANTITY)
    throw new DomainError(
      'INVALID_QUANTITY',
      `quantity must be a whole number of shares above the ${order.filledQuantity} already filled and at most ${MAX_ORDER_QUANTITY}, got ${quantity}`,
    );
}

/** A limit caps the fill; a stop buy without one reserves at the new stop, else the order keeps its reserve price. */
function newReservePrice(
  order: OpenOrder,
  terms: { limitPriceCents: number | null; stopPriceCents: number | null; quote: Quote },
  newStop: number | undefined,
  rules: OrderRules,
): number | null {
  if (terms.limitPriceCents !== null) return terms.limitPriceCents;
  if (newStop !== undefined) return buyReservePrice(terms, rules.marketBuyCollarBps);
  return order.reservePriceCents;
}

function assertBuyingPower(state: PaperAccountState, replaced: OrderReplaced): void {
  const available = buyingPowerCents(state);
  const extra = replaced.reservedCashCents - replaced.releasedCashCents;
  if (extra <= available) return;
  const reserve = replaced.reservePriceCents ?? 1;
  const affordable = replaced.filledQuantity + Math.floor((available + replaced.releasedCashCents) / reserve);
  throw new DomainError(
    'INSUFFICIENT_BUYING_POWER',
    `the new terms hold back ${formatMoney(replaced.reservedCashCents, state.currency)}, ` +
      `${formatMoney(extra, state.currency)} more than the order does now, but only ${formatMoney(available, state.currency)} ` +
      `of buying power is available; replace with at most ${affordable} shares or cancel open buy orders`,
    {
      required: formatCents(extra),
      available: formatCents(available),
      currency: state.currency,
      affordableQuantity: affordable,
    },
  );
}

/** Shares the order's own group already promises count as free for it: a group holds its shares once. */
function assertSharesToSell(state: PaperAccountState, order: OpenOrder, remaining: number): void {
  const held = state.positions[order.symbol]?.quantity ?? 0;
  const sellable = sellableQuantity(state, order.symbol, order.ocoGroupId ?? order.orderId);
  if (remaining > held)
    throw new DomainError(
      'SHORT_SELLING_NOT_SUPPORTED',
      `short selling is not supported: you hold ${held} ${order.symbol} shares; sell at most ${sellable} with this order`,
      { heldQuantity: held, sellableQuantity: sellable },
    );
  if (remaining > sellable)
    throw new DomainError(
      'SHARES_COMMITTED_TO_OPEN_ORDERS',
      `${held - sellable} of your ${held} ${order.symbol} shares are committed to other open sell orders; sell at most ${sellable} with this order`,
      { heldQuantity: held, sellableQuantity: sellable },
    );
}
