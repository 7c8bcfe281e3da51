import type { OrderOutcome } from './automation.decider';
import {
  accepted,
  acceptedWith,
  at,
  created,
  exitsPlaced,
  filled,
  given,
  orderFilled,
  outcome,
  signal,
} from './test/automation.fixtures';

const exitIds = { takeProfit: 'tp-1', stopLoss: 'sl-1', ocoGroupId: 'oco-1' };
const recorded = (value: OrderOutcome) => outcome(value, exitIds);

/** An entry of 10 AAPL with a take-profit 5 % above its average fill and a stop-loss 2.00 below. */
const entered = [
  created(),
  accepted(1, { exits: { quantity: 10, takeProfit: { percent: '5' }, stopLoss: { amount: '2.00' } } }),
];
const exitsResting = [...entered, orderFilled(1, { price: '200.00' }), exitsPlaced()];
const exitUpdate = { type: 'SignalExitUpdated', signalId: 'sig-1', automationId: 'auto-1', at } as const;

describe('automation decider: take-profit and stop-loss', () => {
  it('places both, priced from the average fill, once the entry has filled completely', () => {
    const first = { quantity: '4', price: '199.00', filledQuantity: '4', remaining: '6' };
    given(...entered)
      .when(recorded(filled('ord-1', first)))
      .then(orderFilled(1, first));
    const rest = { quantity: '6', price: '200.50', filledQuantity: '10', remaining: '0' };
    given(...entered, orderFilled(1, first))
      .when(recorded(filled('ord-1', rest)))
      .then(
        orderFilled(1, rest),
        exitsPlaced({
          takeProfit: { orderId: 'tp-1', limitPrice: '209.90' },
          stopLoss: { orderId: 'sl-1', stopPrice: '197.90' },
        }),
      );
  });

  it('moves the position only by the leg that fills, and forgets the cancelled one', () => {
    expect(given(...exitsResting).state).toMatchObject({ positions: { AAPL: { quantity: 10, entries: 1 } } });
    const takeProfitFilled = {
      ...exitUpdate,
      orderId: 'tp-1',
      status: 'FILLED',
      quantity: '10',
      price: '210.00',
    } as const;
    given(...exitsResting)
      .when(outcome(filled('tp-1', { price: '210.00' })))
      .then(takeProfitFilled);
    const after = given(...exitsResting, takeProfitFilled)
      .when(outcome({ kind: 'cancelled', orderId: 'sl-1', at }))
      .then({ ...exitUpdate, orderId: 'sl-1', status: 'CANCELLED' });
    expect(after).toMatchObject({ positions: { AAPL: { quantity: 0, entries: 0 } }, openOrders: {} });
  });

  it('cancels the resting take-profit and stop-loss before an exit signal sells their shares', () => {
    given(...exitsResting)
      .when(signal({ action: 'exit' }, { n: 2 }))
      .then(acceptedWith({ side: 'sell', cancelsFirst: ['tp-1', 'sl-1'] }, 2));
  });
});
