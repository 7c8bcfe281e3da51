import type { Reason } from '@tradecore/contracts';
import type {
  AutomationEvent,
  AutomationState,
  ExitIds,
  OpenOrder,
  OrderOutcome,
  PresentAutomation,
} from './automation.messages';
import { exitsOnFill } from './exit-orders';

// The orders an automation placed until their end: the position it counts is its own fills plus
// what is still on its way, so an outcome from the broker corrects it.

/** An order the automation just sent: nothing placed or filled yet. */
export const newOrder = (sent: Pick<OpenOrder, 'signalId' | 'symbol' | 'side'> & { quantity: string }) => ({
  signalId: sent.signalId,
  symbol: sent.symbol,
  side: sent.side,
  quantity: Number(sent.quantity),
  filled: 0,
  placed: false,
});

export function withOrder(
  state: PresentAutomation,
  orderId: string,
  change: (order: OpenOrder) => OpenOrder,
) {
  const order = state.openOrders[orderId];
  return order ? { ...state, openOrders: { ...state.openOrders, [orderId]: change(order) } } : state;
}

export function withoutOrder(state: PresentAutomation, orderId: string): PresentAutomation {
  const { [orderId]: _done, ...rest } = state.openOrders;
  return { ...state, openOrders: rest };
}

/** What an order did not fill never happened: the position and its entries go back by that much. */
export function undoUnfilled(state: PresentAutomation, orderId: string): PresentAutomation {
  const order = state.openOrders[orderId];
  if (!order) return state;
  const position = state.positions[order.symbol] ?? { quantity: 0, entries: 0 };
  const quantity = position.quantity - (order.side === 'buy' ? 1 : -1) * (order.quantity - order.filled);
  const entries =
    quantity === 0
      ? 0
      : order.entry && order.filled === 0
        ? Math.max(0, position.entries - 1)
        : position.entries;
  return {
    ...withoutOrder(state, orderId),
    positions: { ...state.positions, [order.symbol]: { quantity, entries } },
  };
}

/** What the broker can do about a refusal is said in words the automation's owner can act on. */
const BROKER_HINTS: Readonly<Record<string, string>> = {
  INSUFFICIENT_BUYING_POWER: "lower the automation's sizing or add cash to the account",
  SHORT_SELLING_NOT_SUPPORTED:
    'the broker does not sell this account short; send sell signals only to exit a long position',
  SHARES_COMMITTED_TO_OPEN_ORDERS:
    'shares are held by other open orders; cancel them or wait for them to fill',
  UNKNOWN_SYMBOL: 'the broker does not trade this symbol; fix the alert ticker',
  QUOTE_STALE: 'the market feed paused; the signal was not traded, send it again once quotes resume',
  ACCOUNT_PURGED: 'the account was disconnected; reconnect it or point the automation at another account',
  ACCOUNT_NOT_FOUND:
    'the account is not connected or no longer exists; reconnect it or point the automation at another account',
  BROKER_RATE_LIMITED: 'the broker is limiting requests for this account; send the signal again shortly',
};

function brokerReason(reason: Reason): Reason {
  const hint = BROKER_HINTS[reason.code];
  return {
    code: reason.code,
    message: `the broker refused the order: ${reason.message}${hint ? `; ${hint}` : ''}`,
  };
}

export function recordOutcome(
  outcome: OrderOutcome,
  state: AutomationState,
  exitIds?: ExitIds,
): AutomationEvent[] {
  if (state.status === 'ABSENT') return [];
  const order = state.openOrders[outcome.orderId];
  if (!order) return [];
  if (order.exitLeg) return exitOutcome(state, order, outcome);
  const base = { signalId: order.signalId, automationId: state.automationId, orderId: outcome.orderId };
  switch (outcome.kind) {
    case 'placed':
      return order.placed ? [] : [{ type: 'SignalOrderPlaced', ...base, placedAt: outcome.at }];
    case 'filled':
      if (Number(outcome.filledQuantity) <= order.filled) return [];
      return [
        {
          type: 'SignalOrderFilled',
          ...base,
          symbol: order.symbol,
          side: order.side,
          quantity: outcome.quantity,
          price: outcome.price,
          filledQuantity: outcome.filledQuantity,
          remainingQuantity: outcome.remainingQuantity,
          filledAt: outcome.at,
        },
        ...exitsOnFill(state, order, outcome, exitIds),
      ];
    case 'rejected':
      return [
        { type: 'SignalRejected', ...base, reason: brokerReason(outcome.reason), rejectedAt: outcome.at },
      ];
    case 'cancelled':
    case 'expired':
      return [
        {
          type: 'SignalOrderClosed',
          ...base,
          status: outcome.kind === 'cancelled' ? 'CANCELLED' : 'EXPIRED',
          closedAt: outcome.at,
        },
      ];
    default: {
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

/** A take-profit's or stop-loss's outcome, recorded on the signal of the entry it protects. */
function exitOutcome(state: PresentAutomation, order: OpenOrder, outcome: OrderOutcome): AutomationEvent[] {
  const base = {
    type: 'SignalExitUpdated' as const,
    signalId: order.signalId,
    automationId: state.automationId,
    orderId: outcome.orderId,
    at: outcome.at,
  };
  switch (outcome.kind) {
    case 'placed':
      return order.placed ? [] : [{ ...base, status: 'PLACED' }];
    case 'filled': {
      if (Number(outcome.filledQuantity) <= order.filled) return [];
      const status = Number(outcome.remainingQuantity) === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
      return [{ ...base, status, quantity: outcome.quantity, price: outcome.price }];
    }
    case 'rejected':
      return [{ ...base, status: 'REJECTED', reason: brokerReason(outcome.reason) }];
    case 'cancelled':
      return [{ ...base, status: 'CANCELLED' }];
    case 'expired':
      return [{ ...base, status: 'EXPIRED' }];
    default: {
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

/** Only a take-profit's or stop-loss's fills move the position: it was not counted ahead of them. */
export function applyExitLeg(
  state: PresentAutomation,
  event: Extract<AutomationEvent, { type: 'SignalExitUpdated' }>,
): PresentAutomation {
  const order = state.openOrders[event.orderId];
  if (!order) return state;
  if (event.status === 'PLACED') return withOrder(state, event.orderId, (leg) => ({ ...leg, placed: true }));
  if (event.status !== 'FILLED' && event.status !== 'PARTIALLY_FILLED')
    return withoutOrder(state, event.orderId);
  const shares = Number(event.quantity ?? 0);
  const position = state.positions[order.symbol] ?? { quantity: 0, entries: 0 };
  const quantity = position.quantity + (order.side === 'buy' ? shares : -shares);
  const moved = {
    ...state,
    positions: {
      ...state.positions,
      [order.symbol]: { quantity, entries: quantity === 0 ? 0 : position.entries },
    },
  };
  return event.status === 'FILLED'
    ? withoutOrder(moved, event.orderId)
    : withOrder(moved, event.orderId, (leg) => ({ ...leg, filled: leg.filled + shares }));
}

/** The two legs of a take-profit and stop-loss pair, as the automation's open orders. */
export function withExitLegs(
  state: PresentAutomation,
  event: Extract<AutomationEvent, { type: 'SignalExitsPlaced' }>,
): PresentAutomation {
  const leg = (orderId: string): [string, OpenOrder] => [
    orderId,
    { ...newOrder(event), entry: false, exitLeg: true },
  ];
  const legs = [event.takeProfit?.orderId, event.stopLoss?.orderId].filter((id): id is string => !!id);
  return { ...state, openOrders: { ...state.openOrders, ...Object.fromEntries(legs.map(leg)) } };
}
