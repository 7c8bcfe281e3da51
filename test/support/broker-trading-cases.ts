import { randomUUID } from 'node:crypto';
import { type ChaosStack, progress, readiness } from '../chaos/support/chaos-stack';
import type { StreamStatus } from './sandbox-accounts';
import { fillsOf, quickly, type Trader, tradingAs } from './trading-routes';

// The cases every real broker's account passes through the one order API, written once for the
// Alpaca and TradeStation specs; each spec adds what only its broker shows.

/** What a broker's local sandbox lets a case do to the market and to the account's order stream. */
interface SandboxMarket {
  setPrice(symbol: string, cents: number): void;
}

/** Until broker-account's read model holds `quantity` AAPL for the account. */
export const expectPositionReaches = async (trader: Trader, quantity: number) => {
  const { position } = tradingAs(() => trader);
  expect(await quickly(async () => ((await position()) === quantity ? true : undefined))).toBe(true);
};

/**
 * A market buy of 10 AAPL fills through the stream at 190.01 and reaches the position and the
 * balance in broker-account; answers what the trader saw on the way, for the broker's own checks.
 */
export async function expectMarketBuyFills(trader: Trader, timing: string) {
  const { client, token, accountId } = trader;
  const { trading, status } = tradingAs(() => trader);
  const orderId = randomUUID();
  const order = { orderId, symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 10 };
  const placed = await trading('POST', '/orders', order);
  expect([placed.status, placed.body]).toEqual([201, expect.objectContaining({ orderId, accountId })]);
  const startedAt = Date.now();
  const filled = await status(orderId, 'FILLED');
  expect(filled).toMatchObject({ filledQuantity: 10, averageFillPrice: '190.01' });
  await expectPositionReaches(trader, 10);
  const balance = await quickly(async () => {
    const { body } = await client.http('GET', `/api/broker-accounts/${accountId}`, token);
    return Number(body.balance?.cash) === 98099.9 ? body.balance : undefined;
  });
  progress(`${timing}: ${Date.now() - startedAt} ms`);
  expect((await trading('GET', '/positions')).body).toEqual([
    expect.objectContaining({ symbol: 'AAPL', quantity: 10, averagePrice: '190.01' }),
  ]);
  const account = (await trading('GET', '')).body;
  expect(account).toMatchObject({ accountId, cash: '98099.90' });
  return { placed: placed.body, filled, balance, account };
}

/** An over-sized order is refused with the code a paper account of the same user gives, through the same route. */
export async function expectRefusedLikePaper(trader: Trader) {
  const { client, token } = trader;
  const oversized = { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 100_000 };
  const refused = await tradingAs(() => trader).trading('POST', '/orders', oversized);
  expect([refused.status, refused.body.code]).toEqual([422, 'INSUFFICIENT_BUYING_POWER']);
  await client.connectVirtual(token);
  const paperAccount = await client.paperAccountOf(token);
  const paper = await client.http('POST', `/api/trading/accounts/${paperAccount}/orders`, token, oversized);
  expect([paper.status, paper.body.code]).toEqual([422, 'INSUFFICIENT_BUYING_POWER']);
}

/**
 * A resting buy that fills while `cut` has the stream down is reconciled once it is back: the fill
 * counted once in the order, the stream's status and the position, even a while later.
 */
export async function expectFillReconciledAfterCut(
  trader: Trader,
  sandbox: SandboxMarket,
  cut: () => void,
  stream: () => Promise<StreamStatus>,
) {
  const { restingBuy, order, status, position } = tradingAs(() => trader);
  const orderId = await restingBuy(10, '189.00');
  cut();
  sandbox.setPrice('AAPL', 18_800);
  expect(fillsOf(await status(orderId, 'FILLED'))).toBe(1);
  // The order reads FILLED as soon as the reconciliation has applied the fill, a moment before
  // the stream's status records how many fills the reconciliation found.
  const reconciled = await quickly(async () => {
    const status = await stream();
    return status.lastReconciledFills ? status : undefined;
  });
  expect(reconciled).toMatchObject({ listening: true, reconnections: 1, lastReconciledFills: 1 });
  await expectPositionReaches(trader, 20);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect([await position(), fillsOf((await order(orderId)).body)]).toEqual([20, 1]);
}

/** While the broker is down its circuit reads open in broker-connection's readiness; once it is back, closed. */
export async function expectCircuitFollowsOutage(
  trader: Trader,
  stack: ChaosStack,
  broker: 'alpaca' | 'tradestation',
  outage: { start(): Promise<void> | void; end(): Promise<void> | void },
) {
  const { trading } = tradingAs(() => trader);
  const circuit = async () =>
    JSON.parse((await readiness(`${stack.url('broker-connection')}/health/ready`)).text).details
      .brokerCircuits[broker];
  await outage.start();
  for (let call = 0; call < 3; call++)
    expect((await trading('GET', '')).body.code).toBe('BROKER_UNAVAILABLE');
  expect(await circuit()).toBe('open');
  await outage.end();
  expect(
    await quickly(async () => ((await trading('GET', '')).status === 200 ? true : undefined), 10_000),
  ).toBe(true);
  expect(await circuit()).toBe('closed');
}
