import { formatCents } from '../domain/money';
import type { Quote } from '../domain/paper-account.messages';
import { averagePrice, type Position, valuePosition } from '../domain/positions';

/** What REST and the socket show of a position: money as decimal strings, marked at the quote's mid. */
export function positionView(position: Position, quote: Quote | undefined) {
  const base = {
    symbol: position.symbol,
    quantity: position.quantity,
    averagePrice: averagePrice(position),
    costBasis: formatCents(position.costBasisCents),
    realizedPnl: formatCents(position.realizedPnlCents),
  };
  if (!quote || position.quantity === 0) {
    return {
      ...base,
      markPrice: null,
      marketValue: null,
      unrealizedPnl: position.quantity === 0 ? '0.00' : null,
    };
  }
  const valued = valuePosition(position, quote);
  return {
    ...base,
    markPrice: valued.markPrice,
    marketValue: formatCents(valued.marketValueCents),
    unrealizedPnl: formatCents(valued.unrealizedPnlCents),
  };
}

export function quoteView(quote: Quote) {
  return {
    symbol: quote.symbol,
    bid: formatCents(quote.bidCents),
    ask: formatCents(quote.askCents),
    bidSize: quote.bidSize,
    askSize: quote.askSize,
    quotedAt: quote.quotedAt,
  };
}
