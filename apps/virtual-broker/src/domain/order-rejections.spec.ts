import { closedStatus } from './closed-orders';
import { DomainError } from '@tradecore/eventing/domain';
import { rejectionOf } from './paper-account.decider';
import type { OrderRejected, PaperAccountEvent, PlaceOrder } from './paper-account.messages';
import {
  at,
  bought,
  given,
  limitOrder,
  orderPlaced,
  OWNER,
  provisioned,
} from './test/paper-account.fixtures';

const holdingTen = [provisioned(100_000), ...bought('b-1', 'AAPL', 10, 5_000)];
const sellingTen = orderPlaced({
  orderId: 's-1',
  symbol: 'AAPL',
  side: 'SELL',
  quantity: 10,
  limitPriceCents: 12_000,
});

const REFUSALS: { code: string; history: PaperAccountEvent[]; command: PlaceOrder }[] = [
  {
    code: 'INSUFFICIENT_BUYING_POWER',
    history: [provisioned(100_000)],
    command: limitOrder('o-9', 'BUY', 10, 10_001),
  },
  {
    code: 'SHORT_SELLING_NOT_SUPPORTED',
    history: [provisioned(100_000)],
    command: limitOrder('o-9', 'SELL', 1, 10_000),
  },
  {
    code: 'SHARES_COMMITTED_TO_OPEN_ORDERS',
    history: [...holdingTen, sellingTen],
    command: limitOrder('o-9', 'SELL', 1, 10_000),
  },
];

describe('rejected orders in the order history', () => {
  it.each(REFUSALS)(
    'records a $code refusal as a REJECTED order that cannot be cancelled',
    ({ code, history, command }) => {
      const error = given(...history)
        .when(command)
        .thenThrows(code);
      const { side, quantity, limitPriceCents } = command;
      const facts: Omit<OrderRejected, 'type'> = {
        orderId: 'o-9',
        symbol: 'AAPL',
        side,
        orderType: 'LIMIT',
        quantity,
        limitPriceCents,
        timeInForce: 'DAY',
        code,
        reason: error.message,
        rejectedAt: at(10),
      };
      const record = rejectionOf(command, error);
      expect(record).toEqual({ type: 'RecordOrderRejection', requestedBy: OWNER, ...facts });
      const rejected: OrderRejected = { type: 'OrderRejected', ...facts };
      const state = given(...history)
        .when(record!)
        .then(rejected);
      expect(closedStatus(state.closedOrders, 'o-9')).toBe('REJECTED');
      expect(state.cashCents).toBe(given(...history).state.cashCents);
      given(...history, rejected)
        .when({ type: 'CancelOrder', requestedBy: OWNER, orderId: 'o-9', cancelledAt: at(11) })
        .thenThrows('ORDER_NOT_OPEN', /already REJECTED/);
    },
  );

  it('tells the trader how much they can afford', () => {
    const error = given(provisioned(100_000))
      .when(limitOrder('o-9', 'BUY', 10, 10_001))
      .thenThrows('INSUFFICIENT_BUYING_POWER');
    expect(error.details).toEqual({
      required: '1000.10',
      available: '1000.00',
      currency: 'USD',
      affordableQuantity: 9,
    });
  });

  it.each(['INVALID_QUANTITY', 'INVALID_LIMIT_PRICE', 'ACCOUNT_NOT_FOUND', 'QUOTE_STALE'])(
    'does not record %s, which is no order outcome, as an order',
    (code) => {
      expect(rejectionOf(limitOrder('o-9', 'BUY', 1, 100), new DomainError(code, 'refused'))).toBeNull();
    },
  );
});
