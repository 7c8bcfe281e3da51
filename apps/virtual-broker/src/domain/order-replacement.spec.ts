import type { OrderReplaced, PaperAccountEvent, ReplaceOrder } from './paper-account.messages';
import { findOpenOrder } from './paper-account.state';
import {
  at,
  bought,
  given,
  limitPlaced,
  orderCancelled,
  partiallyFilled,
  provisioned,
  quote,
  replaceOrder,
  stopLossPlaced,
  STRANGER,
} from './test/paper-account.fixtures';

const AAPL = quote('AAPL', 10_100, 10_110, at(10));
/** 1000.00 of cash, 900.00 of it held back by a resting buy of 9 at 100.00. */
const restingBuy = [provisioned(100_000), limitPlaced('o-1', 'BUY', 9, 10_000)];

const replaced = (terms: Partial<OrderReplaced>): OrderReplaced => ({
  type: 'OrderReplaced',
  orderId: 'o-1',
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  status: 'NEW',
  quantity: 9,
  filledQuantity: 0,
  remainingQuantity: 9,
  limitPriceCents: 10_000,
  stopPriceCents: null,
  timeInForce: 'DAY',
  reservePriceCents: 10_000,
  reservedCashCents: 90_000,
  releasedCashCents: 90_000,
  replacedAt: at(10),
  ...terms,
});

describe('replacing an open order', () => {
  it('moves the limit and what the order holds back, and the order keeps its id and status', () => {
    const state = given(...restingBuy)
      .when(replaceOrder('o-1', { limitPriceCents: 9_900 }, [AAPL]))
      .then(replaced({ limitPriceCents: 9_900, reservePriceCents: 9_900, reservedCashCents: 89_100 }));
    expect(findOpenOrder(state, 'o-1')).toMatchObject({ status: 'NEW', limitPriceCents: 9_900 });
    expect(state.reservedCashCents).toBe(89_100);
  });

  it('fills at once when the new limit crosses the current quote', () => {
    const state = given(...restingBuy)
      .when(replaceOrder('o-1', { limitPriceCents: 10_200 }, [quote('MSFT', 100, 101, at(10)), AAPL]))
      .then(
        replaced({ limitPriceCents: 10_200, reservePriceCents: 10_200, reservedCashCents: 91_800 }),
        expect.objectContaining({ type: 'OrderFilled', orderId: 'o-1', quantity: 9, priceCents: 10_110 }),
      );
    expect(state.reservedCashCents).toBe(0);
    expect(state.cashCents).toBe(100_000 - 9 * 10_110);
  });

  it('counts only what the new terms add against the buying power', () => {
    given(...restingBuy)
      .when(replaceOrder('o-1', { quantity: 10 }, [AAPL]))
      .then(replaced({ quantity: 10, remainingQuantity: 10, reservedCashCents: 100_000 }));
    const error = given(...restingBuy)
      .when(replaceOrder('o-1', { quantity: 10, limitPriceCents: 10_001 }, [AAPL]))
      .thenThrows('INSUFFICIENT_BUYING_POWER', /at most 9 shares/);
    expect(error.details).toEqual({
      required: '100.10',
      available: '100.00',
      currency: 'USD',
      affordableQuantity: 9,
    });
  });

  it('changes the quantity of a partly filled order, counting the shares filled so far', () => {
    const partial = partiallyFilled(
      { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 4, priceCents: 10_000 },
      { filledQuantity: 4, remainingQuantity: 5, releasedCashCents: 40_000, filledAt: at(5) },
    );
    const state = given(...restingBuy, partial)
      .when(replaceOrder('o-1', { quantity: 6 }, [AAPL]))
      .then(
        replaced({
          status: 'PARTIALLY_FILLED',
          quantity: 6,
          filledQuantity: 4,
          remainingQuantity: 2,
          reservedCashCents: 20_000,
          releasedCashCents: 50_000,
        }),
      );
    expect(state.reservedCashCents).toBe(20_000);
    given(...restingBuy, partial)
      .when(replaceOrder('o-1', { quantity: 4 }, [AAPL]))
      .thenThrows('INVALID_QUANTITY', /above the 4 already filled/);
  });

  it('keeps a DAY order past the session close once it is GTC', () => {
    const gtc = replaced({ timeInForce: 'GTC' });
    given(...restingBuy)
      .when(replaceOrder('o-1', { timeInForce: 'GTC' }, [AAPL]))
      .then(gtc);
    const state = given(...restingBuy, gtc)
      .when({ type: 'ExpireDayOrders', sessionEndedAt: at(30) })
      .then();
    expect(findOpenOrder(state, 'o-1')?.timeInForce).toBe('GTC');
  });

  it('moves a sell stop, which stays untriggered while the bid is above it', () => {
    const stopLoss = stopLossPlaced();
    given(provisioned(100_000), ...bought('b-1', 'AAPL', 10, 9_000), stopLoss)
      .when(replaceOrder('sl-1', { stopPriceCents: 9_800 }, [AAPL]))
      .then(
        replaced({
          orderId: 'sl-1',
          side: 'SELL',
          orderType: 'STOP',
          quantity: 10,
          remainingQuantity: 10,
          limitPriceCents: null,
          stopPriceCents: 9_800,
          reservePriceCents: null,
          reservedCashCents: 0,
          releasedCashCents: 0,
        }),
      );
  });
});

const holdingTen = [provisioned(100_000), ...bought('b-1', 'AAPL', 10, 9_000)];
const sell = (orderId: string, quantity: number) => limitPlaced(orderId, 'SELL', quantity, 12_000);
const change = (orderId: string, changes: Parameters<typeof replaceOrder>[1]) =>
  replaceOrder(orderId, changes, [AAPL]);

const REFUSALS: { code: string; history: PaperAccountEvent[]; command: ReplaceOrder; says: RegExp }[] = [
  {
    code: 'ORDER_NOT_OPEN',
    history: holdingTen,
    command: change('b-1', { quantity: 5 }),
    says: /already FILLED/,
  },
  {
    code: 'ORDER_NOT_OPEN',
    history: [
      ...restingBuy,
      orderCancelled(
        { orderId: 'o-1', side: 'BUY', remainingQuantity: 9, releasedCashCents: 90_000 },
        'REQUESTED_BY_USER',
        at(5),
      ),
    ],
    command: change('o-1', { quantity: 5 }),
    says: /already CANCELLED; only NEW or PARTIALLY_FILLED orders can be replaced/,
  },
  {
    code: 'ORDER_NOT_FOUND',
    history: restingBuy,
    command: change('o-2', { quantity: 5 }),
    says: /no order o-2/,
  },
  {
    code: 'ACCOUNT_NOT_FOUND',
    history: restingBuy,
    command: { ...change('o-1', { quantity: 5 }), requestedBy: STRANGER },
    says: /belongs to you/,
  },
  { code: 'NOTHING_TO_REPLACE', history: restingBuy, command: change('o-1', {}), says: /at least one/ },
  {
    code: 'INVALID_LIMIT_PRICE',
    history: restingBuy,
    command: change('o-1', { limitPriceCents: 0 }),
    says: /needs a limit price/,
  },
  {
    code: 'INVALID_STOP_PRICE',
    history: restingBuy,
    command: change('o-1', { stopPriceCents: 9_000 }),
    says: /takes no stop price/,
  },
  {
    code: 'INVALID_QUANTITY',
    history: restingBuy,
    command: change('o-1', { quantity: 1.5 }),
    says: /whole number/,
  },
  {
    code: 'SHORT_SELLING_NOT_SUPPORTED',
    history: [...holdingTen, sell('s-1', 10)],
    command: change('s-1', { quantity: 11 }),
    says: /hold 10/,
  },
  {
    code: 'SHARES_COMMITTED_TO_OPEN_ORDERS',
    history: [...holdingTen, sell('s-1', 4), sell('s-2', 4)],
    command: change('s-1', { quantity: 7 }),
    says: /sell at most 6 with this order/,
  },
];

describe('refused replacements, with the codes real accounts answer', () => {
  it.each(REFUSALS)('$code: $says', ({ code, history, command, says }) => {
    given(...history)
      .when(command)
      .thenThrows(code, says);
  });
});
