import { closedStatus } from './closed-orders';
import { buyingPowerCents } from './paper-account.state';
import {
  aaplPosition,
  at,
  bought,
  filledAtOnce,
  given,
  limitOrder,
  marketOrder,
  marketPlaced,
  provisioned,
  quote,
  STRANGER,
} from './test/paper-account.fixtures';

describe('placing orders', () => {
  it('accepts a limit buy below the ask as NEW and reserves quantity × limit', () => {
    const state = given(provisioned(1_000_000))
      .when(limitOrder('o-1', 'BUY', 10, 15_000, quote('AAPL', 15_100, 15_110, at(10))))
      .then({
        type: 'OrderPlaced',
        orderId: 'o-1',
        symbol: 'AAPL',
        side: 'BUY',
        orderType: 'LIMIT',
        quantity: 10,
        limitPriceCents: 15_000,
        timeInForce: 'DAY',
        reservePriceCents: 15_000,
        reservedCashCents: 150_000,
        placedAt: at(10),
      });
    expect(state.openOrders.map((order) => [order.orderId, order.status])).toEqual([['o-1', 'NEW']]);
    expect(buyingPowerCents(state)).toBe(850_000);
  });

  it('fills a market buy at the ask at once, reserving at the ask plus the 1% collar until it fills', () => {
    const state = given(provisioned(1_000_000))
      .when(marketOrder('o-1', 'BUY', 10, quote('AAPL', 10_000, 10_010, at(10))))
      .then(
        {
          type: 'OrderPlaced',
          orderId: 'o-1',
          symbol: 'AAPL',
          side: 'BUY',
          orderType: 'MARKET',
          quantity: 10,
          limitPriceCents: null,
          timeInForce: 'DAY',
          reservePriceCents: 10_111,
          reservedCashCents: 101_110,
          placedAt: at(10),
        },
        filledAtOnce(
          { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 10, priceCents: 10_010 },
          { releasedCashCents: 101_110 },
        ),
      );
    expect(state.cashCents).toBe(899_900);
    expect(state.reservedCashCents).toBe(0);
    expect(state.positions.AAPL).toEqual(aaplPosition(10, 100_100));
    expect(closedStatus(state.closedOrders, 'o-1')).toBe('FILLED');
  });

  it('fills a market sell at the bid and realizes the gain over the average price', () => {
    const state = given(provisioned(1_000_000), ...bought('b-1', 'AAPL', 10, 10_000))
      .when(marketOrder('s-1', 'SELL', 4, quote('AAPL', 10_200, 10_210, at(10))))
      .then(
        marketPlaced('s-1', 'SELL', 4, at(10)),
        filledAtOnce(
          { orderId: 's-1', symbol: 'AAPL', side: 'SELL', quantity: 4, priceCents: 10_200 },
          { realizedPnlCents: 800 },
        ),
      );
    expect(state.cashCents).toBe(940_800);
    expect(state.positions.AAPL).toEqual(aaplPosition(6, 60_000, 800));
  });
});

describe('malformed orders', () => {
  it.each([0, -5, 1.5, Number.NaN, 10_000_001])('rejects quantity %p', (quantity) => {
    given(provisioned(1_000_000))
      .when(limitOrder('o-1', 'BUY', quantity, 10_000))
      .thenThrows('INVALID_QUANTITY', /whole number of shares/);
  });

  it.each([null, 0, -100, 100.5])('rejects a limit order with limit price %p', (limitPriceCents) => {
    given(provisioned(1_000_000))
      .when(limitOrder('o-1', 'BUY', 1, limitPriceCents))
      .thenThrows('INVALID_LIMIT_PRICE', /needs a limit price/);
  });

  it.each([
    [
      'a market order that carries a limit price',
      { limitPriceCents: 10_000 },
      'INVALID_LIMIT_PRICE',
      /market order takes no limit price/,
    ],
    ['a lower-case symbol', { symbol: 'aapl' }, 'INVALID_SYMBOL', undefined],
    ['a quote for another symbol', { symbol: 'MSFT' }, 'QUOTE_SYMBOL_MISMATCH', undefined],
  ])('rejects %s', (_case, terms, code, message) => {
    given(provisioned(1_000_000))
      .when({ ...marketOrder('o-1', 'BUY', 1), ...terms })
      .thenThrows(code, message);
  });

  it('rejects a reused order id', () => {
    given(provisioned(1_000_000), ...bought('o-1', 'AAPL', 1, 10_000))
      .when(marketOrder('o-1', 'BUY', 1))
      .thenThrows('DUPLICATE_ORDER_ID');
  });

  it('answers another user, or a missing account, as not found', () => {
    const order = marketOrder('o-1', 'BUY', 1);
    given(provisioned(1_000_000))
      .when({ ...order, requestedBy: STRANGER })
      .thenThrows('ACCOUNT_NOT_FOUND');
    given().when(order).thenThrows('ACCOUNT_NOT_FOUND');
  });
});
