import { createPaperAccountDecider } from './paper-account.decider';
import { specFor } from '@tradecore/eventing/testing';
import { at, limitOrder, marketOrder, provisioned, quote } from './test/paper-account.fixtures';

// A timed feed that should tick every second counts as paused once its last quote is 5 s old.
const given = specFor(createPaperAccountDecider({ marketBuyCollarBps: 100, staleQuoteAfterMs: 5_000 }));
const frozen = quote('AAPL', 10_000, 10_010, at(10));

describe('orders while the quote feed is paused', () => {
  it('fills a market order at a quote within the bound', () => {
    given(provisioned(1_000_000))
      .when({ ...marketOrder('o-1', 'BUY', 1, frozen), placedAt: at(15) })
      .then(
        expect.objectContaining({ type: 'OrderPlaced', orderId: 'o-1' }),
        expect.objectContaining({ type: 'OrderFilled', orderId: 'o-1', priceCents: 10_010 }),
      );
  });

  it.each(['BUY', 'SELL'] as const)(
    'refuses a market %s at a frozen quote with QUOTE_STALE, naming its age',
    (side) => {
      const error = given(provisioned(1_000_000))
        .when({ ...marketOrder('o-1', side, 1, frozen), placedAt: at(16) })
        .thenThrows('QUOTE_STALE', /6 s old.*limit order/);
      expect(error.details).toMatchObject({ symbol: 'AAPL', quotedAt: at(10), retryAfterSeconds: 5 });
    },
  );

  it('takes a limit order that the frozen quote crosses, but fills it only on a live quote', () => {
    given(provisioned(1_000_000))
      .when({ ...limitOrder('o-1', 'BUY', 1, 10_100, frozen), placedAt: at(60) })
      .then(expect.objectContaining({ type: 'OrderPlaced', orderId: 'o-1', reservedCashCents: 10_100 }));
  });

  it('never calls a quote stale in manual mode, where the operator moves the market', () => {
    specFor(createPaperAccountDecider({ marketBuyCollarBps: 100 }))(provisioned(1_000_000))
      .when({ ...marketOrder('o-1', 'BUY', 1, frozen), placedAt: at(3_600) })
      .then(
        expect.objectContaining({ type: 'OrderPlaced' }),
        expect.objectContaining({ type: 'OrderFilled', priceCents: 10_010 }),
      );
  });
});
