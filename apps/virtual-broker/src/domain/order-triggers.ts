import { cancellation } from './order-cancellation';
import { fillOrders } from './order-matching';
import type { OrderTriggered, PaperAccountEvent, Quote } from './paper-account.messages';
import { evolve, type OpenOrder, type PaperAccountState } from './paper-account.state';

/** A buy stop is reached once the ask trades at or above it, a sell stop once the bid falls to it. */
export function stopReached(order: OpenOrder, quote: Quote): boolean {
  if (order.stopPriceCents == null) return false;
  return order.side === 'BUY'
    ? quote.askCents >= order.stopPriceCents
    : quote.bidCents <= order.stopPriceCents;
}

/** `== null`: an order from a snapshot taken before stop orders existed has no stop price at all. */
const fillable = (order: OpenOrder) => order.stopPriceCents == null || order.triggered;

/**
 * What one quote does to the open orders `eligible` admits: it triggers the stops it reaches, fills
 * what it crosses (a triggered stop as a market order, a stop-limit as a limit), and cancels the
 * rest of each filled order's one-cancels-other group.
 */
export function matchQuote(
  state: PaperAccountState,
  quote: Quote,
  at: string,
  eligible: (order: OpenOrder) => boolean,
): PaperAccountEvent[] {
  const triggers: OrderTriggered[] = state.openOrders
    .filter((order) => order.symbol === quote.symbol && eligible(order) && !order.triggered)
    .filter((order) => stopReached(order, quote))
    .map((order) => ({
      type: 'OrderTriggered',
      orderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      stopPriceCents: order.stopPriceCents!,
      triggeredAt: at,
    }));
  const triggered = triggers.reduce(evolve, state);
  const fills = fillOrders(triggered, quote, at, (order) => eligible(order) && fillable(order));
  const afterFills = fills.reduce(evolve, triggered);
  const filledGroups = new Set(
    fills
      .map((fill) => triggered.openOrders.find((order) => order.orderId === fill.orderId)?.ocoGroupId)
      .filter((group): group is string => typeof group === 'string'),
  );
  const filledIds = new Set(fills.map((fill) => fill.orderId));
  const others = afterFills.openOrders
    .filter((order) => order.ocoGroupId !== null && filledGroups.has(order.ocoGroupId))
    .filter((order) => !filledIds.has(order.orderId))
    .map((order) => cancellation(order, 'ONE_CANCELS_OTHER', at));
  return [...triggers, ...fills, ...others];
}
