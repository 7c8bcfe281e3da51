import type { ExitTarget } from '@tradecore/contracts';
import type {
  AutomationEvent,
  ExitIds,
  OpenOrder,
  OrderOutcome,
  PresentAutomation,
} from './automation.messages';
import { addresseeOf, centsOf, formatCents } from './signal-decision';

// An entry's take-profit and stop-loss go out once it has filled, priced from its average fill,
// as one-cancels-other orders on the broker: only the one that fills moves the position.

type Fill = Extract<OrderOutcome, { kind: 'filled' }>;

const offsetCents = (averageCents: number, target: ExitTarget) =>
  'percent' in target ? Math.round((averageCents * Number(target.percent)) / 100) : centsOf(target.amount);

/** The take-profit (a limit) and stop-loss (a stop) of an entry this fill completes; none before that. */
export function exitsOnFill(
  state: PresentAutomation,
  order: OpenOrder,
  fill: Fill,
  ids: ExitIds | undefined,
): AutomationEvent[] {
  if (!order.exits || !ids || Number(fill.remainingQuantity) !== 0) return [];
  const filled = Number(fill.filledQuantity);
  const valueCents = (order.filledValueCents ?? 0) + Number(fill.quantity) * centsOf(fill.price);
  const average = Math.round(valueCents / filled);
  const favour = order.side === 'buy' ? 1 : -1;
  const priced = (target: ExitTarget, towards: number) =>
    formatCents(Math.max(1, average + towards * favour * offsetCents(average, target)));
  const { takeProfit, stopLoss, quantity } = order.exits;
  return [
    {
      type: 'SignalExitsPlaced',
      signalId: order.signalId,
      automationId: state.automationId,
      symbol: order.symbol,
      side: order.side === 'buy' ? 'sell' : 'buy',
      quantity: String(Math.min(quantity, filled)),
      ocoGroupId: ids.ocoGroupId,
      ...(takeProfit && { takeProfit: { orderId: ids.takeProfit, limitPrice: priced(takeProfit, 1) } }),
      ...(stopLoss && { stopLoss: { orderId: ids.stopLoss, stopPrice: priced(stopLoss, -1) } }),
      decidedAt: fill.at,
      ...addresseeOf(state),
    },
  ];
}

/** The open take-profit and stop-loss orders of a symbol. */
export const exitLegsOf = (state: PresentAutomation, symbol: string): string[] =>
  Object.entries(state.openOrders)
    .filter(([, order]) => order.exitLeg && order.symbol === symbol)
    .map(([orderId]) => orderId);
