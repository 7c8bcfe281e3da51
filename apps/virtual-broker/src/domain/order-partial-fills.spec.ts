import {
  aaplPosition,
  at,
  bought,
  filledAtOnce,
  filledTheRest,
  given,
  limitPlaced,
  marketOrder,
  marketPlaced,
  partiallyFilled,
  provisioned,
  quote,
  tick,
} from './test/paper-account.fixtures';

describe('partial fills', () => {
  it('fills part of a limit buy when the ask size is short, and the rest at a later quote', () => {
    const history = [provisioned(10_000_000), limitPlaced('o-1', 'BUY', 300, 5_000, at(1))];
    const partial = partiallyFilled(
      { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 100, priceCents: 4_990 },
      { filledQuantity: 100, remainingQuantity: 200, releasedCashCents: 500_000, filledAt: at(5) },
    );
    const afterPartial = given(...history)
      .when(tick(quote('AAPL', 4_980, 4_990, at(5), { bidSize: 100, askSize: 100 })))
      .then(partial);
    expect(afterPartial.openOrders[0]).toMatchObject({
      orderId: 'o-1',
      status: 'PARTIALLY_FILLED',
      filledQuantity: 100,
    });
    expect(afterPartial.cashCents).toBe(9_501_000);
    expect(afterPartial.reservedCashCents).toBe(1_000_000);

    const afterFull = given(...history, partial)
      .when(tick(quote('AAPL', 4_985, 4_995, at(6), { bidSize: 500, askSize: 500 })))
      .then(
        filledTheRest(
          { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 200, priceCents: 4_995 },
          { filledQuantity: 300, releasedCashCents: 1_000_000, filledAt: at(6) },
        ),
      );
    expect(afterFull.openOrders).toEqual([]);
    expect(afterFull.cashCents).toBe(8_502_000);
    expect(afterFull.reservedCashCents).toBe(0);
    expect(afterFull.positions.AAPL).toEqual(aaplPosition(300, 1_498_000));
  });

  it('keeps the rest of a market buy working, filling it later only at or below its collar', () => {
    const placed = marketPlaced('o-1', 'BUY', 50, at(10), 10_111);
    const partial = partiallyFilled(
      { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 20, priceCents: 10_010 },
      { filledQuantity: 20, remainingQuantity: 30, releasedCashCents: 202_220, filledAt: at(10) },
    );
    const working = given(provisioned(1_000_000))
      .when(
        marketOrder('o-1', 'BUY', 50, quote('AAPL', 10_000, 10_010, at(10), { bidSize: 1_000, askSize: 20 })),
      )
      .then(placed, partial);
    expect(working.openOrders[0]).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 20 });
    expect(working.reservedCashCents).toBe(303_330);

    given(provisioned(1_000_000), placed, partial)
      .when(tick(quote('AAPL', 10_100, 10_112, at(11))))
      .then();
    const filled = given(provisioned(1_000_000), placed, partial)
      .when(tick(quote('AAPL', 10_100, 10_111, at(12))))
      .then(
        filledTheRest(
          { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 30, priceCents: 10_111 },
          { filledQuantity: 50, releasedCashCents: 303_330, filledAt: at(12) },
        ),
      );
    expect(filled.cashCents).toBe(496_470);
    expect(filled.reservedCashCents).toBe(0);
  });

  it('shares one quote’s size between orders in the order they were placed', () => {
    given(
      provisioned(10_000_000),
      limitPlaced('o-1', 'BUY', 60, 10_000, at(1)),
      limitPlaced('o-2', 'BUY', 60, 10_100, at(2)),
    )
      .when(tick(quote('AAPL', 9_990, 10_000, at(5), { bidSize: 1_000, askSize: 100 })))
      .then(
        filledAtOnce(
          { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 60, priceCents: 10_000 },
          { releasedCashCents: 600_000, filledAt: at(5) },
        ),
        partiallyFilled(
          { orderId: 'o-2', symbol: 'AAPL', side: 'BUY', quantity: 40, priceCents: 10_000 },
          { filledQuantity: 40, remainingQuantity: 20, releasedCashCents: 404_000, filledAt: at(5) },
        ),
      );
  });

  it('shares the bid size between sells, apart from the ask size buys use', () => {
    given(
      provisioned(10_000_000),
      ...bought('b-1', 'AAPL', 100, 10_000),
      limitPlaced('s-1', 'SELL', 30, 10_000, at(3)),
      limitPlaced('s-2', 'SELL', 30, 10_000, at(4)),
      limitPlaced('o-1', 'BUY', 20, 10_100, at(4)),
    )
      .when(tick(quote('AAPL', 10_050, 10_060, at(6), { bidSize: 40, askSize: 20 })))
      .then(
        filledAtOnce(
          { orderId: 's-1', symbol: 'AAPL', side: 'SELL', quantity: 30, priceCents: 10_050 },
          { realizedPnlCents: 1_500, filledAt: at(6) },
        ),
        partiallyFilled(
          { orderId: 's-2', symbol: 'AAPL', side: 'SELL', quantity: 10, priceCents: 10_050 },
          { filledQuantity: 10, remainingQuantity: 20, realizedPnlCents: 500, filledAt: at(6) },
        ),
        filledAtOnce(
          { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 20, priceCents: 10_060 },
          { releasedCashCents: 202_000, filledAt: at(6) },
        ),
      );
  });
});
