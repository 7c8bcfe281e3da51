import { closedOrderStatuses, closedStatus } from './closed-orders';
import type { CancelOrder, ExpireDayOrders } from './paper-account.messages';
import { buyingPowerCents, sellableQuantity } from './paper-account.state';
import {
  at,
  bought,
  given,
  limitPlaced,
  orderCancelled,
  orderExpired,
  OWNER,
  partiallyFilled,
  provisioned,
  STRANGER,
} from './test/paper-account.fixtures';

function cancel(orderId: string, requestedBy = OWNER): CancelOrder {
  return { type: 'CancelOrder', requestedBy, orderId, cancelledAt: at(7) };
}

const partialBuy = partiallyFilled(
  { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 100, priceCents: 4_990 },
  { filledQuantity: 100, remainingQuantity: 200, releasedCashCents: 500_000, filledAt: at(5) },
);

describe('cancelling orders', () => {
  it('cancels a partially filled buy and releases the reservation of the unfilled 200 shares', () => {
    const state = given(provisioned(10_000_000), limitPlaced('o-1', 'BUY', 300, 5_000, at(1)), partialBuy)
      .when(cancel('o-1'))
      .then(
        orderCancelled(
          {
            orderId: 'o-1',
            symbol: 'AAPL',
            side: 'BUY',
            remainingQuantity: 200,
            releasedCashCents: 1_000_000,
          },
          'REQUESTED_BY_USER',
          at(7),
        ),
      );
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
      limitPlaced('s-1', 'SELL', 10, 12_000, at(3)),
    )
      .when(cancel('s-1'))
      .then(
        orderCancelled({ orderId: 's-1', side: 'SELL', remainingQuantity: 10 }, 'REQUESTED_BY_USER', at(7)),
      );
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
      limitPlaced('s-1', 'SELL', 1, 12_000),
      orderCancelled({ orderId: 's-1', side: 'SELL', remainingQuantity: 1 }, 'REQUESTED_BY_USER', at(6)),
    )
      .when(cancel('s-1'))
      .thenThrows('ORDER_NOT_OPEN', /already CANCELLED/);
  });

  it('does not let another user cancel the order', () => {
    given(provisioned(1_000_000), limitPlaced('o-1', 'BUY', 1, 100))
      .when(cancel('o-1', STRANGER))
      .thenThrows('ACCOUNT_NOT_FOUND');
  });
});

describe('end of session', () => {
  const sessionEnd: ExpireDayOrders = { type: 'ExpireDayOrders', sessionEndedAt: at(60) };
  const history = [
    provisioned(1_000_000),
    limitPlaced('d-1', 'BUY', 10, 9_000, at(1), 'DAY'),
    limitPlaced('g-1', 'BUY', 10, 9_000, at(1), 'GTC'),
    ...bought('b-1', 'AAPL', 10, 10_000),
    limitPlaced('d-2', 'SELL', 10, 11_000, at(3), 'DAY'),
    partiallyFilled(
      { orderId: 'd-1', symbol: 'AAPL', side: 'BUY', quantity: 4, priceCents: 8_990 },
      { filledQuantity: 4, remainingQuantity: 6, releasedCashCents: 36_000, filledAt: at(4) },
    ),
    limitPlaced('d-3', 'BUY', 1, 9_000, at(100), 'DAY'),
  ];
  const expired = [
    orderExpired({ orderId: 'd-1', side: 'BUY', remainingQuantity: 6, releasedCashCents: 54_000 }, at(60)),
    orderExpired({ orderId: 'd-2', side: 'SELL', remainingQuantity: 10 }, at(60)),
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
