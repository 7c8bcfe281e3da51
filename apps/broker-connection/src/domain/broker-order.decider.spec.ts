import { foldEvents } from '@tradecore/eventing/domain';
import {
  brokerOrderDecider,
  type BrokerOrderCommand,
  type BrokerOrderEvent,
  type BrokerOrderSnapshot,
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
const place: BrokerOrderCommand = { type: 'PlaceOrder', broker: 'alpaca', ref, terms, at };
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
  it('is placed before it goes to the broker, and accepted by the first word from the broker', () => {
    expect(types(given().when(place))).toEqual(['BrokerOrderPlaced']);
    expect(types(given(place).when(update({})))).toEqual(['BrokerOrderAccepted']);
  });

  it("is accepted and filled at once when the stream outruns the broker's answer", () => {
    const fill = update({ status: 'FILLED', filledQuantity: 10, averageFillPrice: '190.01' });
    expect(types(given(place).when(fill))).toEqual(['BrokerOrderAccepted', 'BrokerOrderFilled']);
    expect(given(place, fill).when(update({}))).toEqual([]);
  });

  it('is rejected with the paper code when the broker refuses it', () => {
    const events = given(place).when({
      type: 'RecordRefusal',
      reason: { code: 'INSUFFICIENT_BUYING_POWER', message: 'no' },
      at,
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'BrokerOrderRejected',
        reason: expect.objectContaining({ code: 'INSUFFICIENT_BUYING_POWER' }),
      }),
    ]);
  });

  it('refuses a second order with the same id', () => {
    expect(() => given(place).when(place)).toThrow(expect.objectContaining({ code: 'DUPLICATE_ORDER_ID' }));
  });

  it('records a partial fill, then the rest at the price that makes the broker average', () => {
    const order = given(
      place,
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
    expect(given(place, filled).when(filled)).toEqual([]);
  });

  it('takes the execution price and position the stream reports', () => {
    const [, fill] = given(place).when(
      update(
        { status: 'FILLED', filledQuantity: 10, averageFillPrice: '188.00' },
        { quantity: 10, price: '188.00', positionQuantity: 25 },
      ),
    );
    expect(fill).toMatchObject({ price: '188.00', positionQuantity: 25 });
  });

  it('follows a replacement to its new broker id and new terms', () => {
    const events = given(place, update({})).when(
      update({
        brokerOrderId: 'b-2',
        clientOrderId: 'o-1.r1',
        replacesBrokerOrderId: 'b-1',
        quantity: 5,
        limitPrice: '187.00',
      }),
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

  it('follows a replacement in place (TradeStation keeps the order id), once, whatever the price notation', () => {
    const inPlace = update({ clientOrderId: '', quantity: 5, limitPrice: '187' });
    expect(given(place, update({})).when(inPlace)).toEqual([
      expect.objectContaining({
        type: 'BrokerOrderReplaced',
        brokerOrderId: 'b-1',
        quantity: 5,
        limitPrice: '187',
      }),
    ]);
    expect(given(place, update({}), inPlace).when(update({ quantity: 5, limitPrice: '187.00' }))).toEqual([]);
    expect(given(place, update({ limitPrice: '189' })).when(update({}))).toEqual([]);
  });

  it('ignores what the broker says of the order it replaced', () => {
    const order = given(place, update({}), update({ brokerOrderId: 'b-2', replacesBrokerOrderId: 'b-1' }));
    expect(order.when(update({ brokerOrderId: 'b-1', status: 'REPLACED' }))).toEqual([]);
  });

  it('is cancelled once, however often the broker says so', () => {
    const cancelled = update({ status: 'CANCELLED' });
    expect(types(given(place, update({})).when(cancelled))).toEqual(['BrokerOrderCancelled']);
    expect(given(place, cancelled).when(cancelled)).toEqual([]);
  });

  it('cannot be updated before it was placed', () => {
    expect(() => given().when(update({}))).toThrow(expect.objectContaining({ code: 'ORDER_NOT_FOUND' }));
  });
});
