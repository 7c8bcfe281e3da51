import { closedOrderStatuses } from './closed-orders';
import { at, bought, given, orderPlaced, provisioned } from './test/paper-account.fixtures';

describe('cancelling every open order for a disconnecting connection', () => {
  it('cancels each open order, releasing the buy reservations, and leaves filled orders alone', () => {
    const state = given(
      provisioned(1_000_000),
      ...bought('b-0', 'AAPL', 10, 10_000),
      orderPlaced({ orderId: 'b-1', symbol: 'AAPL', side: 'BUY', quantity: 5, limitPriceCents: 9_000 }),
      orderPlaced({ orderId: 's-1', symbol: 'AAPL', side: 'SELL', quantity: 4, limitPriceCents: 12_000 }),
    )
      .when({ type: 'CancelOpenOrders', cancelledAt: at(30) })
      .then(
        {
          type: 'OrderCancelled',
          orderId: 'b-1',
          symbol: 'AAPL',
          side: 'BUY',
          remainingQuantity: 5,
          releasedCashCents: 45_000,
          reason: 'CONNECTION_CLOSING',
          cancelledAt: at(30),
        },
        {
          type: 'OrderCancelled',
          orderId: 's-1',
          symbol: 'AAPL',
          side: 'SELL',
          remainingQuantity: 4,
          releasedCashCents: 0,
          reason: 'CONNECTION_CLOSING',
          cancelledAt: at(30),
        },
      );

    expect(state.reservedCashCents).toBe(0);
    expect(state.cashCents).toBe(900_000);
    expect(closedOrderStatuses(state.closedOrders)).toEqual({
      'b-0': 'FILLED',
      'b-1': 'CANCELLED',
      's-1': 'CANCELLED',
    });
  });

  it('decides nothing when no order is open, so a redelivered command is harmless', () => {
    given(provisioned(1_000_000), ...bought('b-0', 'AAPL', 10, 10_000))
      .when({ type: 'CancelOpenOrders', cancelledAt: at(30) })
      .then();
  });

  it('refuses an account that was never provisioned', () => {
    given()
      .when({ type: 'CancelOpenOrders', cancelledAt: at(30) })
      .thenThrows('ACCOUNT_NOT_FOUND');
  });
});
