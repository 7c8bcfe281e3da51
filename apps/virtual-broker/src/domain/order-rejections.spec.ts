import { closedStatus } from './closed-orders';
import { DomainError } from '@tradecore/eventing/domain';
import { rejectionOf } from './paper-account.decider';
import { ACCOUNT_ID, at, given, OWNER, placeOrder, provisioned, quote } from './test/paper-account.fixtures';

const AAPL_ABOVE_100 = quote('AAPL', 10_100, 10_110, at(10));

describe('rejected orders in the order history', () => {
  it('records a buying-power refusal as a REJECTED order that cannot be cancelled', () => {
    const command = placeOrder({
      orderId: 'o-9',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 10,
      limitPriceCents: 10_001,
      quote: AAPL_ABOVE_100,
    });
    const error = given(provisioned(100_000)).when(command).thenThrows('INSUFFICIENT_BUYING_POWER');
    expect(error.details).toEqual({
      required: '1000.10',
      available: '1000.00',
      currency: 'USD',
      affordableQuantity: 9,
    });
    const record = rejectionOf(command, error);
    expect(record).toEqual({
      type: 'RecordOrderRejection',
      requestedBy: OWNER,
      orderId: 'o-9',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 10,
      limitPriceCents: 10_001,
      timeInForce: 'DAY',
      code: 'INSUFFICIENT_BUYING_POWER',
      reason: error.message,
      rejectedAt: at(10),
    });
    const rejected = {
      type: 'OrderRejected',
      orderId: 'o-9',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 10,
      limitPriceCents: 10_001,
      timeInForce: 'DAY',
      code: 'INSUFFICIENT_BUYING_POWER',
      reason: error.message,
      rejectedAt: at(10),
    } as const;
    const state = given(provisioned(100_000)).when(record!).then(rejected);
    expect(state.accountId).toBe(ACCOUNT_ID);
    expect(state.cashCents).toBe(100_000);
    expect(closedStatus(state.closedOrders, 'o-9')).toBe('REJECTED');
    given(provisioned(100_000), rejected)
      .when({ type: 'CancelOrder', requestedBy: OWNER, orderId: 'o-9', cancelledAt: at(11) })
      .thenThrows('ORDER_NOT_OPEN', /already REJECTED/);
  });

  it('does not record malformed input as an order', () => {
    const command = placeOrder({
      orderId: 'o-9',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 0,
      limitPriceCents: 1,
      quote: AAPL_ABOVE_100,
    });
    expect(rejectionOf(command, new DomainError('INVALID_QUANTITY', 'bad'))).toBeNull();
  });
});
