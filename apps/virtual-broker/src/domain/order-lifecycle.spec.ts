import { closedOrderStatuses, closedStatus } from './closed-orders';
import type {
  CancelOrder,
  ExpireDayOrders,
  OrderExpired,
  OrderPartiallyFilled,
} from './paper-account.messages';
import { buyingPowerCents, sellableQuantity } from './paper-account.state';
import { at, bought, given, orderPlaced, OWNER, provisioned, STRANGER } from './test/paper-account.fixtures';

function cancel(orderId: string, requestedBy = OWNER): CancelOrder {
  return { type: 'CancelOrder', requestedBy, orderId, cancelledAt: at(7) };
}

const partialBuy: OrderPartiallyFilled = {
  type: 'OrderPartiallyFilled',
  orderId: 'o-1',
  symbol: 'AAPL',
  side: 'BUY',
  quantity: 100,
  priceCents: 4_990,
  filledQuantity: 100,
  remainingQuantity: 200,
  releasedCashCents: 500_000,
  realizedPnlCents: 0,
  filledAt: at(5),
};

describe('cancelling orders', () => {
  it('cancels a partially filled buy and releases the reservation of the unfilled 200 shares', () => {
    const state = given(
      provisioned(10_000_000),
      orderPlaced({
        orderId: 'o-1',
        symbol: 'AAPL',
        side: 'BUY',
        quantity: 300,
        limitPriceCents: 5_000,
        placedAt: at(1),
      }),
      partialBuy,
    )
      .when(cancel('o-1'))
      .then({
        type: 'OrderCancelled',
        orderId: 'o-1',
        symbol: 'AAPL',
        side: 'BUY',
        remainingQuantity: 200,
        releasedCashCents: 1_000_000,
        reason: 'REQUESTED_BY_USER',
        cancelledAt: at(7),
      });
    expect(state.reservedCashCents).toBe(0);
    expect(state.cashCents).toBe(9_501_000);
    expect(buyingPowerCents(state)).toBe(9_501_000);
    expect(state.positions.AAPL.quantity).toBe(100);
    expect(closedStatus(state.closedOrders, 'o-1')).toBe('CANCELLED');
  });

  it('cancels a sell and makes its shares sellable again', () => {
    const state = given(
      provisioned(1_000_000),
      ...bought('b-1', 'AAPL', 10, 10_000),
      orderPlaced({
        orderId: 's-1',
        symbol: 'AAPL',
        side: 'SELL',
        quantity: 10,
        limitPriceCents: 12_000,
        placedAt: at(3),
      }),
    )
      .when(cancel('s-1'))
      .then({
        type: 'OrderCancelled',
        orderId: 's-1',
        symbol: 'AAPL',
        side: 'SELL',
        remainingQuantity: 10,
        releasedCashCents: 0,
        reason: 'REQUESTED_BY_USER',
        cancelledAt: at(7),
      });
    expect(sellableQuantity(state, 'AAPL')).toBe(10);
  });

  it('refuses to cancel an unknown order, a filled one, or one already cancelled', () => {
    const history = [provisioned(1_000_000), ...bought('b-1', 'AAPL', 10, 10_000)];
    given(...history)
      .when(cancel('nope'))
      .thenThrows('ORDER_NOT_FOUND', /no order nope/);
    given(...history)
      .when(cancel('b-1'))
      .thenThrows('ORDER_NOT_OPEN', /already FILLED; only NEW or PARTIALLY_FILLED/);
    given(
      ...history,
      orderPlaced({ orderId: 's-1', symbol: 'AAPL', side: 'SELL', quantity: 1, limitPriceCents: 12_000 }),
      {
        type: 'OrderCancelled',
        orderId: 's-1',
        symbol: 'AAPL',
        side: 'SELL',
        remainingQuantity: 1,
        releasedCashCents: 0,
        reason: 'REQUESTED_BY_USER',
        cancelledAt: at(6),
      },
    )
      .when(cancel('s-1'))
      .thenThrows('ORDER_NOT_OPEN', /already CANCELLED/);
  });

  it('does not let another user cancel the order', () => {
    given(
      provisioned(1_000_000),
      orderPlaced({ orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 1, limitPriceCents: 100 }),
    )
      .when(cancel('o-1', STRANGER))
      .thenThrows('ACCOUNT_NOT_FOUND');
  });
});

describe('end of session', () => {
  const sessionEnd: ExpireDayOrders = { type: 'ExpireDayOrders', sessionEndedAt: at(60) };
  const history = [
    provisioned(1_000_000),
    orderPlaced({
      orderId: 'd-1',
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 10,
      limitPriceCents: 9_000,
      timeInForce: 'DAY',
      placedAt: at(1),
    }),
    orderPlaced({
      orderId: 'g-1',
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 10,
      limitPriceCents: 9_000,
      timeInForce: 'GTC',
      placedAt: at(1),
    }),
    ...bought('b-1', 'AAPL', 10, 10_000),
    orderPlaced({
      orderId: 'd-2',
      symbol: 'AAPL',
      side: 'SELL',
      quantity: 10,
      limitPriceCents: 11_000,
      timeInForce: 'DAY',
      placedAt: at(3),
    }),
    {
      type: 'OrderPartiallyFilled',
      orderId: 'd-1',
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 4,
      priceCents: 8_990,
      filledQuantity: 4,
      remainingQuantity: 6,
      releasedCashCents: 36_000,
      realizedPnlCents: 0,
      filledAt: at(4),
    } as const,
    orderPlaced({
      orderId: 'd-3',
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 1,
      limitPriceCents: 9_000,
      timeInForce: 'DAY',
      placedAt: at(100),
    }),
  ];
  const expired: OrderExpired[] = [
    {
      type: 'OrderExpired',
      orderId: 'd-1',
      symbol: 'AAPL',
      side: 'BUY',
      remainingQuantity: 6,
      releasedCashCents: 54_000,
      expiredAt: at(60),
    },
    {
      type: 'OrderExpired',
      orderId: 'd-2',
      symbol: 'AAPL',
      side: 'SELL',
      remainingQuantity: 10,
      releasedCashCents: 0,
      expiredAt: at(60),
    },
  ];

  it('expires DAY orders of the session, keeping GTC orders and DAY orders placed after the close', () => {
    const state = given(...history)
      .when(sessionEnd)
      .then(...expired);
    expect(state.openOrders.map((order) => order.orderId)).toEqual(['g-1', 'd-3']);
    expect(closedOrderStatuses(state.closedOrders)).toMatchObject({ 'd-1': 'EXPIRED', 'd-2': 'EXPIRED' });
    expect(state.cashCents).toBe(864_040);
    expect(state.reservedCashCents).toBe(99_000);
    expect(sellableQuantity(state, 'AAPL')).toBe(14);
  });

  it('expires nothing twice', () => {
    given(...history, ...expired)
      .when(sessionEnd)
      .then();
  });
});
