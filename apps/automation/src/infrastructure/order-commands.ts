import type { BrokerOrderCommandMessage, OrderKind, VirtualBrokerOrderCommand } from '@tradecore/contracts';
import type { OutgoingMessage } from '@tradecore/eventing';
import type { AutomationEvent, OrderAddressee } from '../domain/automation.decider';
import { tradesPaper } from '../domain/signal-decision';

type Accepted = Extract<AutomationEvent, { type: 'SignalAccepted' }>;
type ExitsPlaced = Extract<AutomationEvent, { type: 'SignalExitsPlaced' }>;

/** One order as the automation decided it, before it is addressed to the broker service that owns the account. */
interface OrderTerms {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly kind: OrderKind;
  readonly quantity: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly ocoGroupId?: string;
  readonly timeInForce: 'day' | 'gtc';
}

/**
 * Where an account's orders go, as its broker decides: virtual-broker for a paper account (key: the
 * paper account), broker-connection for a real broker's (key: the account). One key per account,
 * so a cancel sent ahead of an order is handled ahead of it.
 */
interface OrderRoute {
  place(terms: OrderTerms): OutgoingMessage;
  cancel(orderId: string): OutgoingMessage;
  /** An entry's take-profit and stop-loss, one-cancels-other. */
  exits(event: ExitsPlaced): OutgoingMessage[];
}

function paperRoute(userId: string, virtualAccountId: string): OrderRoute {
  const send = (command: VirtualBrokerOrderCommand): OutgoingMessage => ({
    topic: 'virtual-broker.commands',
    key: virtualAccountId,
    ...command,
  });
  const place = (terms: OrderTerms) =>
    send({ type: 'PlaceOrder', schemaVersion: 1, payload: { ...terms, virtualAccountId, userId } });
  return {
    place,
    cancel: (orderId) =>
      send({ type: 'CancelOrder', schemaVersion: 1, payload: { orderId, virtualAccountId, userId } }),
    exits: (event) => exitLegsOf(event).map(place),
  };
}

const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;

function brokerRoute(userId: string, accountId: string): OrderRoute {
  const send = (command: BrokerOrderCommandMessage): OutgoingMessage => ({
    topic: 'broker-connection.commands',
    key: accountId,
    ...command,
  });
  return {
    place: ({ orderId, symbol, side, kind, quantity, limitPrice, stopPrice, timeInForce }) =>
      send({
        type: 'PlaceBrokerOrder',
        schemaVersion: 1,
        payload: {
          orderId,
          accountId,
          userId,
          symbol,
          side: upper(side),
          kind: upper(kind),
          quantity: Number(quantity),
          limitPrice: limitPrice ?? null,
          stopPrice: stopPrice ?? null,
          timeInForce: upper(timeInForce),
        },
      }),
    cancel: (orderId) =>
      send({ type: 'CancelBrokerOrder', schemaVersion: 1, payload: { orderId, accountId, userId } }),
    // One command, so the broker holds both legs as one group and cancels the other itself.
    exits: ({ ocoGroupId, symbol, side, quantity, takeProfit, stopLoss }) => [
      send({
        type: 'PlaceBrokerExitOrders',
        schemaVersion: 1,
        payload: {
          groupId: ocoGroupId,
          accountId,
          userId,
          symbol,
          side: upper(side),
          quantity: Number(quantity),
          timeInForce: 'GTC',
          takeProfit: takeProfit ?? null,
          stopLoss: stopLoss ?? null,
        },
      }),
    ],
  };
}

function routeOf(addressee: OrderAddressee): OrderRoute {
  if (tradesPaper(addressee) && addressee.virtualAccountId !== null)
    return paperRoute(addressee.userId, addressee.virtualAccountId);
  if (addressee.accountId === undefined) throw new Error('an order on a real account names no account');
  return brokerRoute(addressee.userId, addressee.accountId);
}

/** The order commands a decision sends to the broker service that owns the account. */
export function orderCommandsOf(event: AutomationEvent): OutgoingMessage[] {
  if (event.type === 'SignalCancelSent') return event.orderIds.map(routeOf(event).cancel);
  if (event.type === 'SignalExitsPlaced') return routeOf(event).exits(event);
  if (event.type !== 'SignalAccepted') return [];
  const route = routeOf(event);
  // Same key, so the broker cancels the take-profit and stop-loss before this order sells their shares.
  return [...(event.cancelsFirst ?? []).map(route.cancel), route.place(termsOf(event))];
}

const termsOf = (event: Accepted): OrderTerms => ({
  orderId: event.orderId,
  symbol: event.symbol,
  side: event.side,
  kind: event.kind,
  quantity: event.quantity,
  ...(event.limitPrice !== undefined && { limitPrice: event.limitPrice }),
  timeInForce: event.timeInForce,
});

/** A take-profit limit and a stop-loss stop order, good till cancelled, sharing one OCO group id. */
function exitLegsOf(event: ExitsPlaced): OrderTerms[] {
  const leg = {
    symbol: event.symbol,
    side: event.side,
    quantity: event.quantity,
    timeInForce: 'gtc' as const,
    ocoGroupId: event.ocoGroupId,
  };
  const { takeProfit, stopLoss } = event;
  return [
    ...(takeProfit
      ? [{ ...leg, orderId: takeProfit.orderId, kind: 'limit' as const, limitPrice: takeProfit.limitPrice }]
      : []),
    ...(stopLoss
      ? [{ ...leg, orderId: stopLoss.orderId, kind: 'stop' as const, stopPrice: stopLoss.stopPrice }]
      : []),
  ];
}
