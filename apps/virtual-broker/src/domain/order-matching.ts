import { DomainError } from '@tradecore/eventing/domain';
import { isWholeNumber, MAX_PRICE_CENTS } from './money';
import type { OrderFilled, OrderPartiallyFilled, Quote } from './paper-account.messages';
import { evolve, type OpenOrder, type PaperAccountState, remainingQuantity } from './paper-account.state';
import { realizedPnlOfSale, emptyPosition } from './positions';
import { toMillis } from './time';

export type FillEvent = OrderPartiallyFilled | OrderFilled;

export function assertValidQuote(quote: Quote, symbol: string): void {
  if (quote.symbol !== symbol) {
    throw new DomainError(
      'QUOTE_SYMBOL_MISMATCH',
      `the quote is for ${quote.symbol}, not ${symbol}; pass the quote of the symbol being traded`,
    );
  }
  const pricesValid =
    isWholeNumber(quote.bidCents) &&
    isWholeNumber(quote.askCents) &&
    quote.bidCents > 0 &&
    quote.askCents >= quote.bidCents &&
    quote.askCents <= MAX_PRICE_CENTS;
  const sizesValid =
    isWholeNumber(quote.bidSize) && isWholeNumber(quote.askSize) && quote.bidSize >= 0 && quote.askSize >= 0;
  if (!pricesValid || !sizesValid) {
    throw new DomainError(
      'INVALID_QUOTE',
      `the ${quote.symbol} quote is unusable (bid ${quote.bidCents}, ask ${quote.askCents}, sizes ${quote.bidSize}/${quote.askSize}); prices must be positive whole cents up to ${MAX_PRICE_CENTS} with ask ≥ bid and sizes whole and non-negative`,
    );
  }
  toMillis(quote.quotedAt, 'quotedAt');
}

/** Shares of `order` this quote fills: 0 unless it crosses the buy's reserve price or the sell's limit. */
export function executableQuantity(order: OpenOrder, quote: Quote, sizeLeft: number): number {
  if (sizeLeft <= 0) return 0;
  if (order.side === 'BUY') {
    const ceiling = order.reservePriceCents ?? 0;
    return quote.askCents <= ceiling ? Math.min(remainingQuantity(order), sizeLeft) : 0;
  }
  const floor = order.limitPriceCents ?? 0;
  return quote.bidCents >= floor ? Math.min(remainingQuantity(order), sizeLeft) : 0;
}

/**
 * Fills, in placement order, the open orders of the quote's symbol that `eligible` admits, sharing
 * the quote's bid and ask sizes between them; of a one-cancels-other group only the first. Each fill is applied before the next so a sale
 * realizes P&L against the position as the earlier fills left it.
 */
export function fillOrders(
  state: PaperAccountState,
  quote: Quote,
  filledAt: string,
  eligible: (order: OpenOrder) => boolean,
): FillEvent[] {
  const events: FillEvent[] = [];
  let current = state;
  let askSizeLeft = quote.askSize;
  let bidSizeLeft = quote.bidSize;
  const filledGroups = new Set<string>();
  for (const order of state.openOrders) {
    if (order.symbol !== quote.symbol || !eligible(order)) continue;
    if (order.ocoGroupId != null && filledGroups.has(order.ocoGroupId)) continue;
    const buying = order.side === 'BUY';
    const quantity = executableQuantity(order, quote, buying ? askSizeLeft : bidSizeLeft);
    if (quantity === 0) continue;
    const event = fillEvent(current, order, quantity, buying ? quote.askCents : quote.bidCents, filledAt);
    if (buying) askSizeLeft -= quantity;
    else bidSizeLeft -= quantity;
    events.push(event);
    if (order.ocoGroupId != null) filledGroups.add(order.ocoGroupId);
    current = evolve(current, event);
  }
  return events;
}

function fillEvent(
  state: PaperAccountState,
  order: OpenOrder,
  quantity: number,
  priceCents: number,
  filledAt: string,
): FillEvent {
  const filledQuantity = order.filledQuantity + quantity;
  const remaining = order.quantity - filledQuantity;
  const position = state.positions[order.symbol] ?? emptyPosition(order.symbol);
  return {
    type: remaining === 0 ? 'OrderFilled' : 'OrderPartiallyFilled',
    orderId: order.orderId,
    symbol: order.symbol,
    side: order.side,
    quantity,
    priceCents,
    filledQuantity,
    remainingQuantity: remaining,
    releasedCashCents: order.reservePriceCents === null ? 0 : quantity * order.reservePriceCents,
    realizedPnlCents: order.side === 'SELL' ? realizedPnlOfSale(position, quantity, priceCents) : 0,
    filledAt,
  };
}
