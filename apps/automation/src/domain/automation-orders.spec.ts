import {
  accepted,
  at,
  created,
  filled,
  given,
  orderFilled,
  outcome,
  paper,
  refusedForCash,
  rejectedWith,
  signal,
} from './test/automation.fixtures';

const signalOne = { signalId: 'sig-1', automationId: 'auto-1', orderId: 'ord-1' };
const placed = { type: 'SignalOrderPlaced', ...signalOne, placedAt: at } as const;

describe('automation decider: order outcomes', () => {
  it("records the broker's refusal on the signal with what to do about it", () => {
    given(created(), accepted(1))
      .when(refusedForCash('ord-1'))
      .then({
        type: 'SignalRejected',
        ...signalOne,
        reason: {
          code: 'INSUFFICIENT_BUYING_POWER',
          message:
            "the broker refused the order: needs 1900.00; lower the automation's sizing or add cash to the account",
        },
        rejectedAt: at,
      });
  });

  it('records placement and fills once each, and ignores orders it never sent', () => {
    given(created(), accepted(1))
      .when(outcome({ kind: 'placed', orderId: 'ord-1', at }))
      .then(placed);
    given(created(), accepted(1), placed)
      .when(outcome({ kind: 'placed', orderId: 'ord-1', at }))
      .then();
    given(created(), accepted(1), placed)
      .when(outcome(filled('ord-1', { price: '190.05' })))
      .then(orderFilled(1, { price: '190.05' }));
    given(created(), accepted(1), placed, orderFilled(1))
      .when(outcome(filled('ord-1')))
      .then();
    given(created(), accepted(1))
      .when(outcome({ kind: 'placed', orderId: 'someone-elses', at }))
      .then();
  });

  it('gives back the unfilled part of a cancelled order', () => {
    const partly = orderFilled(1, { quantity: '4', filledQuantity: '4', remaining: '6' });
    const after = given(created({ maxEntriesPerDirection: 5 }), accepted(1), partly)
      .when(outcome({ kind: 'cancelled', orderId: 'ord-1', at }))
      .then({ type: 'SignalOrderClosed', ...signalOne, status: 'CANCELLED', closedAt: at });
    expect(after).toMatchObject({ positions: { AAPL: { quantity: 4, entries: 1 } }, openOrders: {} });
  });
});

describe('automation decider: a cancel signal', () => {
  const twoOpen = [
    created({ symbol: null, orderType: 'limit' }),
    accepted(1, { kind: 'limit', limitPrice: '190.00' }),
    accepted(2, { symbol: 'MSFT', kind: 'limit', limitPrice: '410.00' }),
  ];

  it("cancels the automation's open orders of the signal's symbol only", () => {
    const cancelSent = {
      type: 'SignalCancelSent',
      signalId: 'sig-3',
      automationId: 'auto-1',
      symbol: 'AAPL',
      orderIds: ['ord-1'],
      decidedAt: at,
      ...paper,
    } as const;
    given(...twoOpen)
      .when(signal({ action: 'cancel' }, { n: 3 }))
      .then(cancelSent);
    const after = given(...twoOpen, cancelSent)
      .when(outcome({ kind: 'cancelled', orderId: 'ord-1', at }))
      .then({ type: 'SignalOrderClosed', ...signalOne, status: 'CANCELLED', closedAt: at });
    expect(after).toMatchObject({ positions: { AAPL: { quantity: 0, entries: 0 } } });
  });

  it('says there is nothing to cancel once its orders have ended', () => {
    given(created(), accepted(1), orderFilled(1))
      .when(signal({ action: 'cancel' }, { n: 2 }))
      .then(rejectedWith('NOTHING_TO_CANCEL', /no open AAPL order/, 2));
  });
});
