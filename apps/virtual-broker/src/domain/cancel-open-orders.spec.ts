import { closedOrderStatuses } from './closed-orders';
import type { CancelOpenOrders } from './paper-account.messages';
import { at, bought, given, limitPlaced, orderCancelled, provisioned } from './test/paper-account.fixtures';

const cancelOpenOrders: CancelOpenOrders = { type: 'CancelOpenOrders', cancelledAt: at(30) };

describe('cancelling every open order for a disconnecting connection', () => {
  it('cancels each open order, releasing the buy reservations, and leaves filled orders alone', () => {
    const state = given(
      provisioned(1_000_000),
      ...bought('b-0', 'AAPL', 10, 10_000),
      limitPlaced('b-1', 'BUY', 5, 9_000),
      limitPlaced('s-1', 'SELL', 4, 12_000),
    )
      .when(cancelOpenOrders)
      .then(
        orderCancelled(
          { orderId: 'b-1', side: 'BUY', remainingQuantity: 5, releasedCashCents: 45_000 },
          'CONNECTION_CLOSING',
          at(30),
        ),
        orderCancelled({ orderId: 's-1', side: 'SELL', remainingQuantity: 4 }, 'CONNECTION_CLOSING', at(30)),
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
      .when(cancelOpenOrders)
      .then();
  });

  it('refuses an account that was never provisioned', () => {
    given().when(cancelOpenOrders).thenThrows('ACCOUNT_NOT_FOUND');
  });
});
