import { averagePrice, valuePortfolio, valuePosition } from './positions';
import {
  aaplPosition,
  at,
  bought,
  filledAtOnce,
  given,
  limitPlaced,
  marketOrder,
  marketPlaced,
  provisioned,
  quote,
} from './test/paper-account.fixtures';

describe('average price', () => {
  it('weights each purchase by its quantity', () => {
    const afterTwo = given(
      provisioned(10_000_000),
      ...bought('b-1', 'AAPL', 10, 10_000),
      ...bought('b-2', 'AAPL', 20, 10_100),
    ).state;
    expect(afterTwo.positions.AAPL).toEqual(aaplPosition(30, 302_000));
    expect(averagePrice(afterTwo.positions.AAPL)).toBe('100.6667');

    const afterThree = given(
      provisioned(10_000_000),
      ...bought('b-1', 'AAPL', 10, 10_000),
      ...bought('b-2', 'AAPL', 20, 10_100),
      ...bought('b-3', 'AAPL', 3, 9_900),
    ).state;
    expect(afterThree.positions.AAPL.costBasisCents).toBe(331_700);
    expect(averagePrice(afterThree.positions.AAPL)).toBe('100.5152');
  });
});

describe('realized P&L', () => {
  const holding = [
    provisioned(10_000_000),
    ...bought('b-1', 'AAPL', 10, 10_000),
    ...bought('b-2', 'AAPL', 20, 10_100),
  ];
  const sellTen = marketOrder('s-1', 'SELL', 10, quote('AAPL', 10_500, 10_510, at(10)));
  const firstSale = [
    marketPlaced('s-1', 'SELL', 10, at(10)),
    filledAtOnce(
      { orderId: 's-1', symbol: 'AAPL', side: 'SELL', quantity: 10, priceCents: 10_500 },
      { realizedPnlCents: 4_333 },
    ),
  ];

  it('realizes (sell price − average) × quantity on a partial sale, settling the fraction of a cent on the cost basis', () => {
    const state = given(...holding)
      .when(sellTen)
      .then(...firstSale);
    expect(state.positions.AAPL).toEqual(aaplPosition(20, 201_333, 4_333));
    expect(averagePrice(state.positions.AAPL)).toBe('100.6665');
  });

  it('realizes exactly proceeds minus cost once the position is closed', () => {
    const state = given(...holding, ...firstSale)
      .when(marketOrder('s-2', 'SELL', 20, quote('AAPL', 9_900, 9_910, at(20))))
      .then(
        marketPlaced('s-2', 'SELL', 20, at(20)),
        filledAtOnce(
          { orderId: 's-2', symbol: 'AAPL', side: 'SELL', quantity: 20, priceCents: 9_900 },
          { realizedPnlCents: -3_333, filledAt: at(20) },
        ),
      );
    expect(state.positions.AAPL).toEqual(aaplPosition(0, 0, 1_000));
    expect(state.cashCents).toBe(10_001_000);
  });

  it('realizes each of several sales filled by one quote against the position the previous one left', () => {
    given(
      provisioned(1_000_000),
      ...bought('b-1', 'AAPL', 10, 10_000),
      ...bought('b-2', 'AAPL', 5, 10_300),
      limitPlaced('s-1', 'SELL', 5, 10_400, at(3)),
      limitPlaced('s-2', 'SELL', 10, 10_400, at(4)),
    )
      .when({ type: 'FillOrdersAgainstQuote', quote: quote('AAPL', 10_500, 10_510, at(6)) })
      .then(
        filledAtOnce(
          { orderId: 's-1', symbol: 'AAPL', side: 'SELL', quantity: 5, priceCents: 10_500 },
          { realizedPnlCents: 2_000, filledAt: at(6) },
        ),
        filledAtOnce(
          { orderId: 's-2', symbol: 'AAPL', side: 'SELL', quantity: 10, priceCents: 10_500 },
          { realizedPnlCents: 4_000, filledAt: at(6) },
        ),
      );
  });
});

describe('unrealized P&L', () => {
  const aapl = { symbol: 'AAPL', quantity: 30, costBasisCents: 302_000, realizedPnlCents: 0 };

  it('marks a position at the mid of bid and ask', () => {
    expect(valuePosition(aapl, { bidCents: 10_200, askCents: 10_205 })).toEqual({
      symbol: 'AAPL',
      quantity: 30,
      averagePrice: '100.6667',
      costBasisCents: 302_000,
      markPrice: '102.025',
      marketValueCents: 306_075,
      unrealizedPnlCents: 4_075,
      realizedPnlCents: 0,
    });
  });

  it('rounds a half-cent market value away from zero', () => {
    const one = { symbol: 'AAPL', quantity: 1, costBasisCents: 10_002, realizedPnlCents: 0 };
    expect(valuePosition(one, { bidCents: 10_000, askCents: 10_001 })).toMatchObject({
      marketValueCents: 10_001,
      unrealizedPnlCents: -1,
    });
  });

  it('totals a portfolio, counting unpriced holdings at cost and closed positions only in realized P&L', () => {
    const valuation = valuePortfolio(
      {
        AAPL: aapl,
        MSFT: { symbol: 'MSFT', quantity: 5, costBasisCents: 200_000, realizedPnlCents: 1_000 },
        TSLA: { symbol: 'TSLA', quantity: 0, costBasisCents: 0, realizedPnlCents: -500 },
      },
      { AAPL: { bidCents: 10_200, askCents: 10_205 } },
    );
    expect(valuation.positions.map((position) => position.symbol)).toEqual(['AAPL']);
    expect(valuation.unpricedSymbols).toEqual(['MSFT']);
    expect(valuation.marketValueCents).toBe(506_075);
    expect(valuation.unrealizedPnlCents).toBe(4_075);
    expect(valuation.realizedPnlCents).toBe(500);
  });
});
