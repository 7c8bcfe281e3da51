import type { OrderFilled, PaperAccountEvent, Quote } from './paper-account.messages';
import { buyingPowerCents } from './paper-account.state';
import {
  aaplPosition,
  at,
  bought,
  filledAtOnce,
  given,
  limitPlaced,
  provisioned,
  quote,
  tick,
} from './test/paper-account.fixtures';

/** Decides nothing on the quote `short` of the limit, then `fill` on the quote `through` it; the state after. */
function restsThenFills(history: PaperAccountEvent[], short: Quote, through: Quote, fill: OrderFilled) {
  given(...history)
    .when(tick(short))
    .then();
  return given(...history)
    .when(tick(through))
    .then(fill);
}

describe('limit orders fill only when the quote crosses', () => {
  it('leaves a limit buy open while the ask is above the limit, then fills it at the lower ask', () => {
    const history = [provisioned(1_000_000), limitPlaced('o-1', 'BUY', 10, 10_000, at(1))];
    const state = restsThenFills(
      history,
      quote('AAPL', 9_990, 10_002, at(5)),
      quote('AAPL', 9_980, 9_995, at(6)),
      filledAtOnce(
        { orderId: 'o-1', symbol: 'AAPL', side: 'BUY', quantity: 10, priceCents: 9_995 },
        { releasedCashCents: 100_000, filledAt: at(6) },
      ),
    );
    expect(state.cashCents).toBe(900_050);
    expect(state.reservedCashCents).toBe(0);
    expect(buyingPowerCents(state)).toBe(900_050);
  });

  it('leaves a limit sell open while the bid is below the limit, then fills it once the bid reaches the limit', () => {
    const history = [
      provisioned(1_000_000),
      ...bought('b-1', 'AAPL', 10, 10_000),
      limitPlaced('s-1', 'SELL', 10, 10_500, at(3)),
    ];
    const state = restsThenFills(
      history,
      quote('AAPL', 10_490, 10_500, at(5)),
      quote('AAPL', 10_500, 10_510, at(6)),
      filledAtOnce(
        { orderId: 's-1', symbol: 'AAPL', side: 'SELL', quantity: 10, priceCents: 10_500 },
        { realizedPnlCents: 5_000, filledAt: at(6) },
      ),
    );
    expect(state.cashCents).toBe(1_005_000);
    expect(state.positions.AAPL).toEqual(aaplPosition(0, 0, 5_000));
  });

  it('ignores quotes of other symbols and quotes not newer than the order', () => {
    const history = [provisioned(1_000_000), limitPlaced('o-1', 'BUY', 10, 10_000, at(5))];
    given(...history)
      .when(tick(quote('MSFT', 9_000, 9_010, at(6))))
      .then();
    given(...history)
      .when(tick(quote('AAPL', 9_900, 9_950, at(5))))
      .then();
    given(...history)
      .when(tick(quote('AAPL', 9_900, 9_950, at(4))))
      .then();
  });

  it('refuses a crossed quote', () => {
    given(provisioned(1_000_000))
      .when(tick(quote('AAPL', 10_010, 10_000, at(5))))
      .thenThrows('INVALID_QUOTE', /ask ≥ bid/);
  });
});
