import { type Decider, DomainError } from '@tradecore/eventing/domain';
import type {
  ApplyBrokerUpdate,
  BrokerOrderCommand,
  BrokerOrderEvent,
  BrokerOrderSnapshot,
  BrokerOrderState,
  PlaceOrder,
  PresentOrder,
} from './broker-order.messages';

export * from './broker-order.messages';

// The broker is the truth; this stream follows it. Fills are counted by the broker's cumulative
// filled quantity, so an update seen twice (stream and reconciliation) is never a second fill.

const CLOSED = new Set(['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED']);
export const isClosed = (status: string) => CLOSED.has(status);

const toMicros = (price: string) => Math.round(Number(price) * 10_000);
const fromMicros = (micros: number) => (micros / 10_000).toFixed(2);

export const initialOrderState: BrokerOrderState = { status: 'ABSENT' };

export function evolveOrder(state: BrokerOrderState, event: BrokerOrderEvent): BrokerOrderState {
  if (event.type === 'BrokerOrderPlaced') {
    const { type: _type, broker: _broker, placedAt: _at, ...order } = event;
    return { ...order, status: 'NEW', brokerOrderId: null, filledQuantity: 0, averageFillPrice: null };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'BrokerOrderAccepted':
      return { ...state, brokerOrderId: event.brokerOrderId };
    case 'BrokerOrderPartiallyFilled':
    case 'BrokerOrderFilled':
      return {
        ...state,
        status: event.type === 'BrokerOrderFilled' ? 'FILLED' : 'PARTIALLY_FILLED',
        filledQuantity: event.filledQuantity,
        averageFillPrice: event.averageFillPrice,
      };
    case 'BrokerOrderCancelled':
      return { ...state, status: 'CANCELLED' };
    case 'BrokerOrderExpired':
      return { ...state, status: 'EXPIRED' };
    case 'BrokerOrderRejected':
      return { ...state, status: 'REJECTED' };
    case 'BrokerOrderReplaced': {
      const { brokerOrderId, quantity, limitPrice, stopPrice, timeInForce } = event;
      return { ...state, brokerOrderId, quantity, limitPrice, stopPrice, timeInForce };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideOrder(
  command: BrokerOrderCommand,
  state: BrokerOrderState,
): readonly BrokerOrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder':
      return decidePlacement(command, state);
    case 'RecordRefusal':
      if (state.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', 'No such order');
      if (state.brokerOrderId !== null || isClosed(state.status)) return [];
      return [
        { type: 'BrokerOrderRejected', ...refOf(state), reason: command.reason, rejectedAt: command.at },
      ];
    case 'ApplyBrokerUpdate':
      if (state.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', 'No such order');
      return decideUpdate(command, state);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function decidePlacement(command: PlaceOrder, state: BrokerOrderState): readonly BrokerOrderEvent[] {
  if (state.status !== 'ABSENT')
    throw new DomainError(
      'DUPLICATE_ORDER_ID',
      `an order ${command.ref.orderId} exists already; use a new orderId`,
    );
  return [
    {
      type: 'BrokerOrderPlaced',
      ...command.ref,
      ...command.terms,
      broker: command.broker,
      placedAt: command.at,
    },
  ];
}

const refOf = ({ orderId, accountId, connectionId, userId }: PresentOrder) => ({
  orderId,
  accountId,
  connectionId,
  userId,
});

function decideUpdate(
  { snapshot, execution, at }: ApplyBrokerUpdate,
  state: PresentOrder,
): readonly BrokerOrderEvent[] {
  const ref = refOf(state);
  const events: BrokerOrderEvent[] = [];
  if (state.brokerOrderId === null) {
    if (snapshot.clientOrderId !== state.orderId) return [];
    events.push({
      type: 'BrokerOrderAccepted',
      ...ref,
      brokerOrderId: snapshot.brokerOrderId,
      acceptedAt: at,
    });
  } else if (snapshot.brokerOrderId !== state.brokerOrderId) {
    if (snapshot.replacesBrokerOrderId !== state.brokerOrderId || isClosed(state.status)) return [];
    events.push(replacedBy(snapshot, state, at));
  } else if (!isClosed(state.status) && !isClosed(snapshot.status) && termsChanged(snapshot, state)) {
    // A broker that replaces in place (TradeStation) keeps the order id and changes its terms.
    events.push(replacedBy(snapshot, state, at));
  }
  if (snapshot.status === 'REPLACED' || isClosed(state.status)) return events;
  if (snapshot.filledQuantity > state.filledQuantity && snapshot.averageFillPrice !== null) {
    const quantity = snapshot.filledQuantity - state.filledQuantity;
    const before =
      state.averageFillPrice === null ? 0 : toMicros(state.averageFillPrice) * state.filledQuantity;
    const derived = fromMicros(
      (toMicros(snapshot.averageFillPrice) * snapshot.filledQuantity - before) / quantity,
    );
    const done = snapshot.filledQuantity >= snapshot.quantity;
    events.push({
      type: done ? 'BrokerOrderFilled' : 'BrokerOrderPartiallyFilled',
      ...ref,
      symbol: state.symbol,
      side: state.side,
      quantity,
      price: execution?.quantity === quantity ? execution.price : derived,
      filledQuantity: snapshot.filledQuantity,
      remainingQuantity: snapshot.quantity - snapshot.filledQuantity,
      averageFillPrice: snapshot.averageFillPrice,
      positionQuantity: execution?.positionQuantity ?? null,
      filledAt: snapshot.updatedAt,
    });
  }
  if (snapshot.status === 'CANCELLED') events.push({ type: 'BrokerOrderCancelled', ...ref, cancelledAt: at });
  if (snapshot.status === 'EXPIRED') events.push({ type: 'BrokerOrderExpired', ...ref, expiredAt: at });
  if (snapshot.status === 'REJECTED')
    events.push({
      type: 'BrokerOrderRejected',
      ...ref,
      reason: { code: 'ORDER_REFUSED_BY_BROKER', message: 'the broker rejected the order after taking it' },
      rejectedAt: at,
    });
  return events;
}

const samePrice = (a: string | null, b: string | null) =>
  a === null ? b === null : b !== null && Number(a) === Number(b);

const termsChanged = (snapshot: BrokerOrderSnapshot, state: PresentOrder) =>
  snapshot.quantity !== state.quantity ||
  !samePrice(snapshot.limitPrice, state.limitPrice) ||
  !samePrice(snapshot.stopPrice, state.stopPrice) ||
  snapshot.timeInForce !== state.timeInForce;

function replacedBy(snapshot: BrokerOrderSnapshot, state: PresentOrder, at: string): BrokerOrderEvent {
  return {
    type: 'BrokerOrderReplaced',
    ...refOf(state),
    brokerOrderId: snapshot.brokerOrderId,
    quantity: snapshot.quantity,
    limitPrice: snapshot.limitPrice,
    stopPrice: snapshot.stopPrice,
    timeInForce: snapshot.timeInForce,
    replacedAt: at,
  };
}

export const brokerOrderDecider: Decider<BrokerOrderCommand, BrokerOrderEvent, BrokerOrderState> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideOrder,
};
