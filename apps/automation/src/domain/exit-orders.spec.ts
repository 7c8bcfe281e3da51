import type { AutomationCommand, OrderOutcome } from './automation.decider';
import { at, created, given, latest, outcome, signal } from './test/automation-given-when-then';

const exitIds = { takeProfit: 'tp-1', stopLoss: 'sl-1', ocoGroupId: 'oco-1' };
const filled = (
  orderId: string,
  quantity: string,
  price: string,
  filledQuantity: string,
  remaining: string,
) =>
  ({
    kind: 'filled',
    orderId,
    quantity,
    price,
    filledQuantity,
    remainingQuantity: remaining,
    at,
  }) satisfies OrderOutcome;
const recorded = (value: OrderOutcome): AutomationCommand => ({
  type: 'RecordOrderOutcome',
  outcome: value,
  exitIds,
});

describe('automation decider: take-profit and stop-loss', () => {
  function enteredWithExits() {
    const automation = given(created());
    automation.when(signal({ takeProfit: { percent: '5' }, stopLoss: { amount: '2.00' } }));
    return { automation, entry: latest() };
  }

  it('places both, priced from the average fill, once the entry has filled completely', () => {
    const { automation, entry } = enteredWithExits();
    expect(automation.when(recorded(filled(entry.orderId, '4', '199.00', '4', '6')))).toEqual([
      expect.objectContaining({ type: 'SignalOrderFilled' }),
    ]);
    expect(automation.when(recorded(filled(entry.orderId, '6', '200.50', '10', '0')))).toEqual([
      expect.objectContaining({ type: 'SignalOrderFilled', remainingQuantity: '0' }),
      {
        type: 'SignalExitsPlaced',
        signalId: entry.signalId,
        automationId: 'auto-1',
        symbol: 'AAPL',
        side: 'sell',
        quantity: '10',
        ocoGroupId: 'oco-1',
        takeProfit: { orderId: 'tp-1', limitPrice: '209.90' },
        stopLoss: { orderId: 'sl-1', stopPrice: '197.90' },
        decidedAt: at,
        userId: 'u-1',
        virtualAccountId: 'va-1',
      },
    ]);
  });

  it('moves the position only by the leg that fills, and forgets the cancelled one', () => {
    const { automation, entry } = enteredWithExits();
    automation.when(recorded(filled(entry.orderId, '10', '200.00', '10', '0')));
    expect(automation.state()).toMatchObject({ positions: { AAPL: { quantity: 10, entries: 1 } } });
    expect(automation.when(outcome(filled('tp-1', '10', '210.00', '10', '0')))).toEqual([
      {
        type: 'SignalExitUpdated',
        signalId: entry.signalId,
        automationId: 'auto-1',
        orderId: 'tp-1',
        status: 'FILLED',
        quantity: '10',
        price: '210.00',
        at,
      },
    ]);
    automation.when(outcome({ kind: 'cancelled', orderId: 'sl-1', at }));
    expect(automation.state()).toMatchObject({
      positions: { AAPL: { quantity: 0, entries: 0 } },
      openOrders: {},
    });
  });

  it('cancels the resting take-profit and stop-loss before an exit signal sells their shares', () => {
    const { automation, entry } = enteredWithExits();
    automation.when(recorded(filled(entry.orderId, '10', '200.00', '10', '0')));
    expect(automation.when(signal({ action: 'exit' }))).toEqual([
      expect.objectContaining({ type: 'SignalAccepted', side: 'sell', cancelsFirst: ['tp-1', 'sl-1'] }),
    ]);
  });
});
