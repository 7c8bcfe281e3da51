import { randomBytes, randomUUID } from 'node:crypto';
import { type AlpacaSandbox, SANDBOX_SECRET, startAlpacaSandbox } from '@tradecore/broker-sandboxes';
import { eventually } from '@tradecore/eventing/testing';
import type { AlpacaSession } from './alpaca-http';
import { AlpacaTradingAdapter } from './alpaca-trading.adapter';
import { BrokerResilience } from './broker-resilience';

// The OCO case of alpaca-trading.adapter.int-spec.ts, in a file of its own to keep both short.

const terms = (changes: object = {}) => ({
  symbol: 'AAPL',
  side: 'BUY' as const,
  kind: 'MARKET' as const,
  quantity: 10,
  limitPrice: null,
  stopPrice: null,
  timeInForce: 'DAY' as const,
  ...changes,
});

describe('the Alpaca trading adapter placing exits as one oco order against the Alpaca sandbox', () => {
  let sandbox: AlpacaSandbox;
  let adapter: AlpacaTradingAdapter;
  const session = (): AlpacaSession => ({
    mode: 'paper',
    credentials: {
      apiKeyId: `PKTEST${randomBytes(6).toString('hex').toUpperCase()}`,
      apiSecretKey: SANDBOX_SECRET,
    },
  });

  beforeAll(async () => {
    sandbox = await startAlpacaSandbox({ tickMs: 50 });
    const resilience = new BrokerResilience({
      timeoutMs: 2000,
      retries: 1,
      circuitFailures: 5,
      halfOpenAfterMs: 60_000,
    });
    adapter = new AlpacaTradingAdapter({ paper: sandbox.url, live: sandbox.url }, resilience);
  });
  afterAll(() => sandbox.stop());

  it('holds a take-profit and stop-loss as one oco order: the shares once, and a fill of one cancels the other', async () => {
    const keys = session();
    const entry = await adapter.placeOrder(keys, randomUUID(), terms());
    await eventually(async () =>
      (await adapter.getOrder(keys, entry.brokerOrderId)).status === 'FILLED' ? true : undefined,
    );
    const exits = {
      symbol: 'AAPL',
      side: 'SELL' as const,
      quantity: 10,
      timeInForce: 'GTC' as const,
      takeProfit: { clientOrderId: randomUUID(), limitPrice: '195.00' },
      stopLoss: { clientOrderId: randomUUID(), stopPrice: '185.00' },
    };
    const placed = await adapter.placeOcoOrders(keys, exits);
    expect(placed.takeProfit).toMatchObject({
      clientOrderId: exits.takeProfit.clientOrderId,
      limitPrice: '195.00',
      stopPrice: null,
      quantity: 10,
      timeInForce: 'GTC',
    });
    expect(placed.stopLoss).toMatchObject({
      clientOrderId: exits.stopLoss.clientOrderId,
      stopPrice: '185.00',
      quantity: 10,
    });
    expect(placed.stopLoss.brokerOrderId).not.toBe(placed.takeProfit.brokerOrderId);
    const again = await adapter.placeOcoOrders(keys, exits);
    expect([again.takeProfit.brokerOrderId, again.stopLoss.brokerOrderId]).toEqual([
      placed.takeProfit.brokerOrderId,
      placed.stopLoss.brokerOrderId,
    ]);
    await expect(
      adapter.placeOrder(keys, randomUUID(), terms({ side: 'SELL', quantity: 1 })),
    ).rejects.toMatchObject({ code: 'SHORT_SELLING_NOT_SUPPORTED' });
    sandbox.setPrice('AAPL', 18_400);
    expect(await adapter.getOrder(keys, placed.stopLoss.brokerOrderId)).toMatchObject({
      status: 'FILLED',
      averageFillPrice: '183.99',
    });
    expect(await adapter.getOrder(keys, placed.takeProfit.brokerOrderId)).toMatchObject({
      status: 'CANCELLED',
      filledQuantity: 0,
    });
    expect(await adapter.positions(keys)).toEqual([]);
    sandbox.setPrice('AAPL', 19_000);
  });
});
