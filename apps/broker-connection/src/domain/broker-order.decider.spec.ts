import { foldEvents } from '@tradecore/eventing';
import {
  brokerOrderDecider,
  BrokerOrderCommand,
  BrokerOrderEvent,
  BrokerOrderSnapshot,
  RecordPlacement,
} from './broker-order.decider';

const at = '2026-12-07T09:00:00.000Z';
const ref = { orderId: 'o-1', accountId: 'a-1', connectionId: 'c-1', userId: 'u-1' };
const terms = {
  symbol: 'AAPL',
  side: 'BUY',
  kind: 'LIMIT',
  quantity: 10,
  limitPrice: '189.00',
  stopPrice: null,
  timeInForce: 'GTC',
} as const;
const snapshot = (changes: Partial<BrokerOrderSnapshot> = {}): BrokerOrderSnapshot => ({
  brokerOrderId: 'b-1',
  clientOrderId: 'o-1',
  replacesBrokerOrderId: null,
  status: 'NEW',
  quantity: 10,
  filledQuantity: 0,
  averageFillPrice: null,
  limitPrice: '189.00',
  stopPrice: null,
  timeInForce: 'GTC',
  submittedAt: at,
  updatedAt: at,
  ...changes,
});
const placement = (outcome: RecordPlacement['outcome']): RecordPlacement => ({
  type: 'RecordPlacement',
  ref,
  terms,
  outcome,
  at,
});
const update = (
  changes: Partial<BrokerOrderSnapshot>,
  execution?: { quantity: number; price: string; positionQuantity: number },
): BrokerOrderCommand => ({
  type: 'ApplyBrokerUpdate',
  snapshot: snapshot(changes),
  execution,
  at,
});

function given(...commands: BrokerOrderCommand[]) {
  let state = brokerOrderDecider.initialState;
  for (const command of commands)
    state = foldEvents(brokerOrderDecider, state, brokerOrderDecider.decide(command, state));
  return {
    when: (command: BrokerOrderCommand): readonly BrokerOrderEvent[] =>
      brokerOrderDecider.decide(command, state),
  };
}
const types = (events: readonly BrokerOrderEvent[]) => events.map((event) => event.type);

describe('an order on a real broker account', () => {
  it('is placed and accepted when the broker takes it', () => {
    expect(types(given().when(placement({ accepted: snapshot() })))).toEqual([
      'BrokerOrderPlaced',
      'BrokerOrderAccepted',
    ]);
  });

  it('is placed and rejected with the paper code when the broker refuses it', () => {
    const events = given().when(placement({ refused: { code: 'INSUFFICIENT_BUYING_POWER', message: 'no' } }));
    expect(events[1]).toMatchObject({
      type: 'BrokerOrderRejected',
      reason: { code: 'INSUFFICIENT_BUYING_POWER' },
    });
  });

  it('refuses a second order with the same id', () => {
    expect(() =>
      given(placement({ accepted: snapshot() })).when(placement({ accepted: snapshot() })),
    ).toThrow(expect.objectContaining({ code: 'DUPLICATE_ORDER_ID' }));
  });

  it('records a partial fill, then the rest at the price that makes the broker average', () => {
    const order = given(
      placement({ accepted: snapshot() }),
      update({ status: 'PARTIALLY_FILLED', filledQuantity: 4, averageFillPrice: '188.00' }),
    );
    const [fill] = order.when(update({ status: 'FILLED', filledQuantity: 10, averageFillPrice: '188.60' }));
    expect(fill).toMatchObject({
      type: 'BrokerOrderFilled',
      quantity: 6,
      price: '189.00',
      remainingQuantity: 0,
    });
  });

  it('never counts the same fill twice when the stream and a reconciliation both report it', () => {
    const filled = update(
      { status: 'FILLED', filledQuantity: 10, averageFillPrice: '188.00' },
      { quantity: 10, price: '188.00', positionQuantity: 10 },
    );
    expect(given(placement({ accepted: snapshot() }), filled).when(filled)).toEqual([]);
  });

  it('takes the execution price and position the stream reports', () => {
    const [fill] = given(placement({ accepted: snapshot() })).when(
      update(
        { status: 'FILLED', filledQuantity: 10, averageFillPrice: '188.00' },
        { quantity: 10, price: '188.00', positionQuantity: 25 },
      ),
    );
    expect(fill).toMatchObject({ price: '188.00', positionQuantity: 25 });
  });

  it('follows a replacement to its new broker id and new terms', () => {
    const events = given(placement({ accepted: snapshot() })).when(
      update({ brokerOrderId: 'b-2', replacesBrokerOrderId: 'b-1', quantity: 5, limitPrice: '187.00' }),
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'BrokerOrderReplaced',
        brokerOrderId: 'b-2',
        quantity: 5,
        limitPrice: '187.00',
      }),
    ]);
  });

  it('ignores what the broker says of the order it replaced', () => {
    const order = given(
      placement({ accepted: snapshot() }),
      update({ brokerOrderId: 'b-2', replacesBrokerOrderId: 'b-1' }),
    );
    expect(order.when(update({ brokerOrderId: 'b-1', status: 'REPLACED' }))).toEqual([]);
  });

  it('is cancelled once, however often the broker says so', () => {
    const cancelled = update({ status: 'CANCELLED' });
    const order = given(placement({ accepted: snapshot() }));
    expect(types(order.when(cancelled))).toEqual(['BrokerOrderCancelled']);
    expect(given(placement({ accepted: snapshot() }), cancelled).when(cancelled)).toEqual([]);
  });

  it('cannot be updated before it was placed', () => {
    expect(() => given().when(update({}))).toThrow(expect.objectContaining({ code: 'ORDER_NOT_FOUND' }));
  });
});
