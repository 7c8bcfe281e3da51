import type { OrderTriggered } from './paper-account.messages';
import { sellableQuantity } from './paper-account.state';
import {
  at,
  bought,
  given,
  marketOrder,
  orderCancelled,
  orderPlaced,
  placeOrder,
  provisioned,
  quote,
  stopLossPlaced,
  tick,
} from './test/paper-account.fixtures';

const holding = [provisioned(1_000_000), ...bought('b-1', 'AAPL', 10, 10_000)];

const fill = (orderId: string, side: 'BUY' | 'SELL', quantity: number, priceCents: number, seconds: number) =>
  expect.objectContaining({
    type: 'OrderFilled',
    orderId,
    side,
    quantity,
    priceCents,
    filledAt: at(seconds),
  });

const stopLossTriggered: OrderTriggered = {
  type: 'OrderTriggered',
  orderId: 'sl-1',
  symbol: 'AAPL',
  side: 'SELL',
  stopPriceCents: 9_500,
  triggeredAt: at(6),
};

describe('stop orders', () => {
  const stopLoss = stopLossPlaced({ placedAt: at(3) });

  it('rests a sell stop while the bid is above it, then sells at the bid once the bid falls to it', () => {
    given(...holding, stopLoss)
      .when(tick(quote('AAPL', 9_510, 9_520, at(5))))
      .then();
    const state = given(...holding, stopLoss)
      .when(tick(quote('AAPL', 9_480, 9_490, at(6))))
      .then(stopLossTriggered, fill('sl-1', 'SELL', 10, 9_480, 6));
    expect(state.positions.AAPL.quantity).toBe(0);
  });

  it('keeps a triggered stop-limit sell open while the bid is below its limit', () => {
    const stopLimit = stopLossPlaced({ orderType: 'STOP_LIMIT', limitPriceCents: 9_450, placedAt: at(3) });
    const state = given(...holding, stopLimit)
      .when(tick(quote('AAPL', 9_400, 9_410, at(6))))
      .then(expect.objectContaining({ type: 'OrderTriggered', orderId: 'sl-1' }));
    given(...holding, stopLimit, stopLossTriggered)
      .when(tick(quote('AAPL', 9_460, 9_470, at(7))))
      .then(fill('sl-1', 'SELL', 10, 9_460, 7));
    expect(state.openOrders[0]).toMatchObject({ orderId: 'sl-1', triggered: true });
  });

  it('reserves a buy stop at the higher of ask and stop plus the collar, and triggers it at placement when the ask is through', () => {
    given(provisioned(1_000_000))
      .when(
        placeOrder({
          orderId: 'bs-1',
          side: 'BUY',
          orderType: 'STOP',
          quantity: 10,
          stopPriceCents: 10_500,
          quote: quote('AAPL', 10_000, 10_010, at(10)),
        }),
      )
      .then(
        expect.objectContaining({
          type: 'OrderPlaced',
          orderType: 'STOP',
          stopPriceCents: 10_500,
          reservePriceCents: 10_605,
          reservedCashCents: 106_050,
        }),
      );
    given(provisioned(1_000_000))
      .when(
        placeOrder({
          orderId: 'bs-2',
          side: 'BUY',
          orderType: 'STOP',
          quantity: 10,
          stopPriceCents: 10_000,
          quote: quote('AAPL', 10_100, 10_110, at(10)),
        }),
      )
      .then(
        expect.objectContaining({ type: 'OrderPlaced', orderId: 'bs-2' }),
        expect.objectContaining({ type: 'OrderTriggered', orderId: 'bs-2' }),
        fill('bs-2', 'BUY', 10, 10_110, 10),
      );
  });

  it('refuses prices that do not fit the type, naming the price', () => {
    const terms = {
      orderId: 'o-1',
      side: 'SELL' as const,
      quantity: 1,
      quote: quote('AAPL', 9_000, 9_010, at(10)),
    };
    given(...holding)
      .when(placeOrder({ ...terms, orderType: 'STOP' }))
      .thenThrows('INVALID_STOP_PRICE', /a stop order needs a stop price/);
    given(...holding)
      .when(placeOrder({ ...terms, orderType: 'LIMIT', limitPriceCents: 9_000, stopPriceCents: 8_000 }))
      .thenThrows('INVALID_STOP_PRICE', /a limit order takes no stop price/);
    given(...holding)
      .when(placeOrder({ ...terms, orderType: 'STOP_LIMIT', stopPriceCents: 8_000 }))
      .thenThrows('INVALID_LIMIT_PRICE', /a stop-limit order needs a limit price/);
  });
});

describe('one-cancels-other orders', () => {
  const takeProfit = orderPlaced({
    orderId: 'tp-1',
    symbol: 'AAPL',
    side: 'SELL',
    orderType: 'LIMIT',
    quantity: 10,
    limitPriceCents: 11_000,
    ocoGroupId: 'exit-1',
    placedAt: at(3),
  });

  it('lets a take-profit and a stop-loss hold the same shares', () => {
    const state = given(...holding, takeProfit)
      .when(
        placeOrder({
          orderId: 'sl-1',
          side: 'SELL',
          orderType: 'STOP',
          quantity: 10,
          stopPriceCents: 9_500,
          ocoGroupId: 'exit-1',
          quote: quote('AAPL', 10_000, 10_010, at(4)),
        }),
      )
      .then(expect.objectContaining({ type: 'OrderPlaced', orderId: 'sl-1', ocoGroupId: 'exit-1' }));
    expect(sellableQuantity(state, 'AAPL')).toBe(0);
    given(...holding, takeProfit)
      .when(marketOrder('other', 'SELL', 1, quote('AAPL', 10_000, 10_010, at(4))))
      .thenThrows('SHARES_COMMITTED_TO_OPEN_ORDERS');
  });

  it('cancels the stop-loss when the take-profit fills', () => {
    const stopLoss = stopLossPlaced({ placedAt: at(4), ocoGroupId: 'exit-1' });
    const state = given(...holding, takeProfit, stopLoss)
      .when(tick(quote('AAPL', 11_000, 11_010, at(8))))
      .then(
        fill('tp-1', 'SELL', 10, 11_000, 8),
        orderCancelled({ orderId: 'sl-1', side: 'SELL', remainingQuantity: 10 }, 'ONE_CANCELS_OTHER', at(8)),
      );
    expect(state.openOrders).toEqual([]);
  });
});
