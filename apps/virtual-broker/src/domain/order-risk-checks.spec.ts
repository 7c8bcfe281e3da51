import { buyingPowerCents } from './paper-account.state';
import {
  at,
  bought,
  filledAtOnce,
  given,
  limitOrder,
  limitPlaced,
  marketOrder,
  marketPlaced,
  provisioned,
  quote,
} from './test/paper-account.fixtures';

describe('buying power', () => {
  it('rejects a buy costing more than the cash, saying how many shares fit', () => {
    given(provisioned(100_000))
      .when(limitOrder('o-1', 'BUY', 10, 10_001))
      .thenThrows(
        'INSUFFICIENT_BUYING_POWER',
        /needs 1000\.10 USD but only 1000\.00 USD .*buy at most 9 shares/,
      );
  });

  it('accepts a buy that uses exactly all the buying power', () => {
    const state = given(provisioned(100_000))
      .when(limitOrder('o-1', 'BUY', 10, 10_000))
      .then(limitPlaced('o-1', 'BUY', 10, 10_000, at(10)));
    expect(buyingPowerCents(state)).toBe(0);
  });

  it('counts cash already reserved by open buy orders', () => {
    const history = [provisioned(100_000), limitPlaced('o-1', 'BUY', 5, 10_000)];
    given(...history)
      .when(limitOrder('o-2', 'BUY', 6, 9_000))
      .thenThrows('INSUFFICIENT_BUYING_POWER', /only 500\.00 USD/);
    const state = given(...history)
      .when(limitOrder('o-2', 'BUY', 5, 9_000))
      .then(limitPlaced('o-2', 'BUY', 5, 9_000, at(10)));
    expect(buyingPowerCents(state)).toBe(5_000);
  });

  it('prices a market buy at the ask plus the collar: 10 × 99.99 fits in 1000.00, 10 × 100.01 does not', () => {
    const state = given(provisioned(100_000))
      .when(marketOrder('o-1', 'BUY', 10, quote('AAPL', 9_890, 9_900, at(10))))
      .then(
        marketPlaced('o-1', 'BUY', 10, at(10), 9_999),
        filledAtOnce(
          { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 10, priceCents: 9_900 },
          { releasedCashCents: 99_990 },
        ),
      );
    expect(state.cashCents).toBe(1_000);
    given(provisioned(100_000))
      .when(marketOrder('o-1', 'BUY', 10, quote('AAPL', 9_891, 9_901, at(10))))
      .thenThrows('INSUFFICIENT_BUYING_POWER', /at up to 100\.01 USD/);
  });
});

describe('selling what you hold', () => {
  it('rejects a sell with no position as short selling', () => {
    given(provisioned(1_000_000))
      .when(marketOrder('s-1', 'SELL', 1))
      .thenThrows('SHORT_SELLING_NOT_SUPPORTED', /you hold 0 AAPL shares; sell at most the 0 shares/);
  });

  it('rejects selling more than held', () => {
    given(provisioned(1_000_000), ...bought('b-1', 'AAPL', 10, 10_000))
      .when(limitOrder('s-1', 'SELL', 11, 10_500))
      .thenThrows('SHORT_SELLING_NOT_SUPPORTED', /sell at most the 10 shares/);
  });

  it('rejects selling shares already committed to an open sell order, and accepts the rest', () => {
    const history = [
      provisioned(1_000_000),
      ...bought('b-1', 'AAPL', 10, 10_000),
      limitPlaced('s-1', 'SELL', 6, 11_000),
    ];
    given(...history)
      .when(limitOrder('s-2', 'SELL', 5, 10_500))
      .thenThrows('SHARES_COMMITTED_TO_OPEN_ORDERS', /6 of your 10 AAPL shares .* sell at most 4/);
    given(...history)
      .when(limitOrder('s-2', 'SELL', 4, 10_500))
      .then(limitPlaced('s-2', 'SELL', 4, 10_500, at(10)));
  });
});
