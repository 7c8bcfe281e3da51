import { randomUUID } from 'node:crypto';
import { type AlpacaSandbox, startAlpacaSandbox } from '@tradecore/broker-sandboxes';
import { AlpacaTradingAdapter } from './alpaca-trading.adapter';
import { contractResilience, newAlpacaSession } from './fixtures/alpaca-sandbox';
import { expectStopLossFilledOnly, placedExitsOfABuy, terms } from './fixtures/order-terms';

// The OCO case of alpaca-trading.adapter.int-spec.ts, in a file of its own to keep both short.

describe('the Alpaca trading adapter placing exits as one oco order against the Alpaca sandbox', () => {
  let sandbox: AlpacaSandbox;
  let adapter: AlpacaTradingAdapter;

  beforeAll(async () => {
    sandbox = await startAlpacaSandbox({ tickMs: 50 });
    adapter = new AlpacaTradingAdapter({ paper: sandbox.url, live: sandbox.url }, contractResilience());
  });
  afterAll(() => sandbox.stop());

  it('holds a take-profit and stop-loss as one oco order: the shares once, and a fill of one cancels the other', async () => {
    const keys = newAlpacaSession();
    const placed = await placedExitsOfABuy(adapter, keys, 'AAPL', 10, '195.00', '185.00');
    expect(placed.takeProfit.stopPrice).toBeNull();
    expect(placed.stopLoss.brokerOrderId).not.toBe(placed.takeProfit.brokerOrderId);
    await expect(
      adapter.placeOrder(keys, randomUUID(), terms({ side: 'SELL', quantity: 1 })),
    ).rejects.toMatchObject({ code: 'SHORT_SELLING_NOT_SUPPORTED' });
    sandbox.setPrice('AAPL', 18_400);
    await expectStopLossFilledOnly(adapter, keys, placed, '183.99');
    expect(await adapter.positions(keys)).toEqual([]);
    sandbox.setPrice('AAPL', 19_000);
  });
});
