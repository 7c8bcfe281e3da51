import { DomainError } from '@tradecore/eventing/domain';
import { decide, evolve, initialState, type PaperAccountState } from './paper-account.decider';
import type { PaperAccountCommand } from './paper-account.messages';
import { reservedFor, sellableQuantity } from './paper-account.state';
import { createQuoteFeed, mulberry32 } from './quote-feed';
import { at, OWNER, provisioned } from './test/paper-account.fixtures';

const STARTING_CASH = 500_000;

function assertInvariants(state: PaperAccountState): void {
  expect(state.cashCents).toBeGreaterThanOrEqual(0);
  expect(state.reservedCashCents).toBe(state.openOrders.reduce((sum, order) => sum + reservedFor(order), 0));
  expect(state.cashCents).toBeGreaterThanOrEqual(state.reservedCashCents);
  const positions = Object.values(state.positions);
  for (const position of positions) {
    expect(position.quantity).toBeGreaterThanOrEqual(0);
    expect(sellableQuantity(state, position.symbol)).toBeGreaterThanOrEqual(0);
  }
  const costBasis = positions.reduce((sum, position) => sum + position.costBasisCents, 0);
  const realized = positions.reduce((sum, position) => sum + position.realizedPnlCents, 0);
  expect(state.cashCents + costBasis).toBe(STARTING_CASH + realized);
}

describe('a long random session', () => {
  it('never lets cash or buying power go negative, nor a position go short, and loses no cent', () => {
    const feed = createQuoteFeed({
      seed: 7,
      startAt: at(0),
      tickIntervalMs: 1_000,
      symbols: { AAPL: 19_000, PENNY: 50 },
      tickSizeCents: 1,
      spreadBps: 10,
      volatilityBps: 80,
      minSize: 0,
      maxSize: 40,
    });
    const random = mulberry32(99);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const outcomes = { accepted: 0, rejected: new Map<string, number>(), fills: 0 };
    let state = evolve(initialState, provisioned(STARTING_CASH));

    for (let tick = 1; tick <= 1_500; tick += 1) {
      const quote = feed.quoteAt(pick(feed.symbols), tick);
      const roll = random();
      const mid = Math.round((quote.bidCents + quote.askCents) / 2);
      let command: PaperAccountCommand;
      if (roll < 0.45) {
        const orderType = pick(['MARKET', 'LIMIT'] as const);
        command = {
          type: 'PlaceOrder',
          requestedBy: OWNER,
          orderId: `o-${tick}`,
          symbol: quote.symbol,
          side: pick(['BUY', 'SELL'] as const),
          orderType,
          quantity: 1 + Math.floor(random() * 30),
          limitPriceCents:
            orderType === 'LIMIT' ? Math.max(1, mid + Math.round(mid * (random() - 0.5) * 0.02)) : null,
          timeInForce: pick(['DAY', 'GTC'] as const),
          quote,
          placedAt: quote.quotedAt,
        };
      } else if (roll < 0.55 && state.openOrders.length > 0) {
        command = {
          type: 'CancelOrder',
          requestedBy: OWNER,
          orderId: pick(state.openOrders).orderId,
          cancelledAt: quote.quotedAt,
        };
      } else if (roll < 0.57) {
        command = { type: 'ExpireDayOrders', sessionEndedAt: quote.quotedAt };
      } else {
        command = { type: 'FillOrdersAgainstQuote', quote };
      }
      try {
        const events = decide(command, state);
        if (command.type === 'PlaceOrder') outcomes.accepted += 1;
        outcomes.fills += events.filter(
          (event) => event.type === 'OrderFilled' || event.type === 'OrderPartiallyFilled',
        ).length;
        state = events.reduce(evolve, state);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcomes.rejected.set(error.code, (outcomes.rejected.get(error.code) ?? 0) + 1);
      }
      assertInvariants(state);
    }

    expect(outcomes.accepted).toBeGreaterThan(100);
    expect(outcomes.fills).toBeGreaterThan(100);
    expect(outcomes.rejected.get('INSUFFICIENT_BUYING_POWER')).toBeGreaterThan(10);
    expect(outcomes.rejected.get('SHORT_SELLING_NOT_SUPPORTED')).toBeGreaterThan(10);
    const expectedRefusals = [
      'INSUFFICIENT_BUYING_POWER',
      'SHORT_SELLING_NOT_SUPPORTED',
      'SHARES_COMMITTED_TO_OPEN_ORDERS',
    ];
    for (const code of outcomes.rejected.keys()) expect(expectedRefusals).toContain(code);
  });
});
