import {
  at,
  created,
  given,
  latest,
  outcome,
  refusedForCash,
  rejectedWith,
  signal,
} from './test/automation-given-when-then';

describe('automation decider: order outcomes', () => {
  it("records the broker's refusal on the signal with what to do about it", () => {
    const automation = given(created());
    automation.when(signal());
    const orderId = latest().orderId;
    expect(automation.when(refusedForCash(orderId))).toEqual([
      {
        type: 'SignalRejected',
        signalId: latest().signalId,
        automationId: 'auto-1',
        orderId,
        reason: {
          code: 'INSUFFICIENT_BUYING_POWER',
          message:
            "the broker refused the order: needs 1900.00; lower the automation's sizing or add cash to the account",
        },
        rejectedAt: at,
      },
    ]);
  });

  it('records placement and fills once each, and ignores orders it never sent', () => {
    const automation = given(created());
    automation.when(signal());
    const orderId = latest().orderId;
    expect(automation.when(outcome({ kind: 'placed', orderId, at }))).toHaveLength(1);
    expect(automation.when(outcome({ kind: 'placed', orderId, at }))).toEqual([]);
    const fill = {
      kind: 'filled' as const,
      orderId,
      quantity: '10',
      price: '190.05',
      filledQuantity: '10',
      remainingQuantity: '0',
      at,
    };
    expect(automation.when(outcome(fill))).toEqual([
      expect.objectContaining({ type: 'SignalOrderFilled', price: '190.05' }),
    ]);
    expect(automation.when(outcome(fill))).toEqual([]);
    expect(automation.when(outcome({ kind: 'placed', orderId: 'someone-elses', at }))).toEqual([]);
  });

  it('gives back the unfilled part of a cancelled order', () => {
    const automation = given(created({ maxEntriesPerDirection: 5 }));
    automation.when(signal());
    const orderId = latest().orderId;
    automation.when(
      outcome({
        kind: 'filled',
        orderId,
        quantity: '4',
        price: '190.00',
        filledQuantity: '4',
        remainingQuantity: '6',
        at,
      }),
      outcome({ kind: 'cancelled', orderId, at }),
    );
    expect(automation.state()).toMatchObject({
      positions: { AAPL: { quantity: 4, entries: 1 } },
      openOrders: {},
    });
  });
});

describe('automation decider: a cancel signal', () => {
  it("cancels the automation's open orders of the signal's symbol only", () => {
    const automation = given(created({ symbol: null, orderType: 'limit' }));
    automation.when(signal({ price: '190.00' }));
    const aapl = latest().orderId;
    automation.when(signal({ ticker: 'MSFT', price: '410.00' }));
    expect(automation.when(signal({ action: 'cancel' }))).toEqual([
      {
        type: 'SignalCancelSent',
        signalId: latest().signalId,
        automationId: 'auto-1',
        symbol: 'AAPL',
        orderIds: [aapl],
        decidedAt: at,
        userId: 'u-1',
        virtualAccountId: 'va-1',
      },
    ]);
    automation.when(outcome({ kind: 'cancelled', orderId: aapl, at }));
    expect(automation.state()).toMatchObject({ positions: { AAPL: { quantity: 0, entries: 0 } } });
  });

  it('says there is nothing to cancel once its orders have ended', () => {
    const automation = given(created());
    automation.when(signal());
    automation.when(
      outcome({
        kind: 'filled',
        orderId: latest().orderId,
        quantity: '10',
        price: '190.00',
        filledQuantity: '10',
        remainingQuantity: '0',
        at,
      }),
    );
    expect(automation.when(signal({ action: 'cancel' }))).toEqual(
      rejectedWith('NOTHING_TO_CANCEL', /no open AAPL order/),
    );
  });
});
