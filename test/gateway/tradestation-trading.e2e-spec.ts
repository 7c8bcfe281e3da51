import { randomUUID } from 'node:crypto';
import type { TradeStationSandbox } from '@tradecore/broker-sandboxes';
import type { ChaosClient, ChaosUser } from '../chaos/support/chaos-client';
import { APPS, type ChaosStack, progress, readiness } from '../chaos/support/chaos-stack';
import { expectExitsOfAnAutomation } from '../support/automation-exits';
import type { StreamStatus } from '../support/sandbox-accounts';
import { QUICK_BREAKER, useSuiteWithTradeStation } from '../support/sandbox-suite';
import { fillsOf as fills, quickly, tradingAs } from '../support/trading-routes';

/**
 * Issue 20 for TradeStation: every compiled app behind the gateway (`npm run build` first) and the
 * local TradeStation sandbox. The same order API as Alpaca and paper; fills arrive through the
 * account's HTTP chunked order stream, which exactly one broker-connection replica holds. Also an
 * automation's take-profit and stop-loss (issue 19), here rather than on a stack of their own.
 */
const REPLICA_PORT = APPS.automation + 40;
const LEASE_MS = 1500;

describe('trading a TradeStation account through the gateway (issue 20)', () => {
  let sandbox: TradeStationSandbox;
  let stack: ChaosStack;
  let client: ChaosClient;
  let user: ChaosUser;
  let connectionId: string;
  let accountId: string;
  const suite = useSuiteWithTradeStation({ BROKER_STREAM_LEASE_MS: String(LEASE_MS), ...QUICK_BREAKER });
  beforeAll(() => {
    ({ sandbox, stack, client, user, connectionId, accountId } = suite);
  });

  const { trading, restingBuy, order, status, position } = tradingAs(() => ({
    client,
    token: user.token,
    accountId,
  }));
  const streamAt = async (base: string) =>
    (await fetch(`${base}/broker-connections/${connectionId}/stream`, {
      headers: { Authorization: `Bearer ${user.token}` },
    }).then((response) => response.json())) as StreamStatus;

  it('fills a market order through the stream and updates the position and balance in broker-account', async () => {
    const orderId = randomUUID();
    const placed = await trading('POST', '/orders', {
      orderId,
      symbol: 'AAPL',
      side: 'BUY',
      type: 'MARKET',
      quantity: 10,
    });
    expect([placed.status, placed.body]).toEqual([201, expect.objectContaining({ orderId, accountId })]);
    const startedAt = Date.now();
    expect(await status(orderId, 'FILLED')).toMatchObject({ filledQuantity: 10, averageFillPrice: '190.01' });
    expect(await quickly(async () => ((await position()) === 10 ? true : undefined))).toBe(true);
    await quickly(async () => {
      const { body } = await client.http('GET', `/api/broker-accounts/${accountId}`, user.token);
      return Number(body.balance?.cash) === 98099.9 ? true : undefined;
    });
    progress(`TradeStation fill to position and balance in broker-account: ${Date.now() - startedAt} ms`);
    expect((await trading('GET', '/positions')).body).toEqual([
      expect.objectContaining({ symbol: 'AAPL', quantity: 10, averagePrice: '190.01' }),
    ]);
    expect((await trading('GET', '')).body).toMatchObject({
      accountId,
      broker: 'tradestation',
      cash: '98099.90',
    });
  });

  // Issue 19 on a TradeStation account, on this spec's stack (the Alpaca case: real-account-exits).
  it("rests an automation's take-profit and stop-loss as one OCO group; the price reaching one fills it and cancels the other", async () => {
    await expectExitsOfAnAutomation({ client, token: user.token, accountId }, (symbol, cents) =>
      sandbox.setPrice(symbol, cents),
    );
    // The 10 shares bought by hand above stay; the automation's 3 came and went.
    expect((await trading('GET', '/positions')).body).toEqual([
      expect.objectContaining({ symbol: 'AAPL', quantity: 10 }),
    ]);
  }, 120_000);

  it('rests a limit order, replaces it in place, and cancels it', async () => {
    const orderId = await restingBuy(5, '150.00');
    const replaced = await trading('PATCH', `/orders/${orderId}`, { quantity: 3, limitPrice: '151.00' });
    expect(replaced.status).toBe(200);
    expect((await order(orderId)).body).toMatchObject({ status: 'NEW', quantity: 3, limitPrice: '151.00' });
    const cancelled = await trading('POST', `/orders/${orderId}/cancel`);
    expect([cancelled.status, cancelled.body]).toEqual([
      200,
      expect.objectContaining({ orderId, status: 'CANCELLED' }),
    ]);
    const again = await trading('POST', `/orders/${orderId}/cancel`);
    expect([again.status, again.body.code]).toEqual([422, 'ORDER_NOT_OPEN']);
  });

  it('refuses an over-sized order with the same code as a paper account', async () => {
    const oversized = { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 100_000 };
    const refused = await trading('POST', '/orders', oversized);
    expect([refused.status, refused.body.code]).toEqual([422, 'INSUFFICIENT_BUYING_POWER']);
    await client.connectVirtual(user.token);
    const paperAccount = await client.paperAccountOf(user.token);
    const paper = await client.http(
      'POST',
      `/api/trading/accounts/${paperAccount}/orders`,
      user.token,
      oversized,
    );
    expect([paper.status, paper.body.code]).toEqual([422, 'INSUFFICIENT_BUYING_POWER']);
  });

  it('reconciles a fill made while the stream was cut: none lost, none doubled', async () => {
    const orderId = await restingBuy(10, '189.00');
    expect(sandbox.dropStreams(1500)).toBe(1);
    sandbox.setPrice('AAPL', 18_800);
    const filled = await status(orderId, 'FILLED');
    expect(fills(filled)).toBe(1);
    // The order reads FILLED as soon as the reconciliation has applied the fill, a moment before
    // the stream's status records how many fills the reconciliation found.
    const reconciled = await quickly(async () => {
      const stream = await streamAt(stack.url('broker-connection'));
      return stream.lastReconciledFills ? stream : undefined;
    });
    expect(reconciled).toMatchObject({ listening: true, reconnections: 1, lastReconciledFills: 1 });
    expect(await quickly(async () => ((await position()) === 20 ? true : undefined))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect([await position(), fills((await order(orderId)).body)]).toEqual([20, 1]);
  });

  it('opens the TradeStation circuit in readiness while the sandbox is down, and closes it when it is back', async () => {
    const circuit = async () =>
      JSON.parse((await readiness(`${stack.url('broker-connection')}/health/ready`)).text).details
        .brokerCircuits.tradestation;
    sandbox.setOutage(true);
    for (let call = 0; call < 3; call++)
      expect((await trading('GET', '')).body.code).toBe('BROKER_UNAVAILABLE');
    expect(await circuit()).toBe('open');
    sandbox.setOutage(false);
    expect(
      await quickly(async () => ((await trading('GET', '')).status === 200 ? true : undefined), 10_000),
    ).toBe(true);
    expect(await circuit()).toBe('closed');
  });

  it('streams the account from one replica of two, and from the other once that one is killed', async () => {
    await stack.spawnReplica('broker-connection', REPLICA_PORT);
    const replica = `http://127.0.0.1:${REPLICA_PORT}`;
    let most = 0;
    for (
      const until = Date.now() + 2000;
      Date.now() < until;
      await new Promise((resolve) => setTimeout(resolve, 50))
    )
      most = Math.max(most, sandbox.openStreams);
    const [first, second] = [await streamAt(stack.url('broker-connection')), await streamAt(replica)];
    expect([most, first.open, second.open, second.streamedBy]).toEqual([1, true, false, first.replica]);

    const orderId = await restingBuy(2, '180.00');
    await stack.kill('broker-connection');
    const killedAt = Date.now();
    await quickly(async () => ((await streamAt(replica)).listening ? true : undefined), 15_000);
    progress(
      `stream taken over ${Date.now() - killedAt} ms after the replica holding it was killed (lease ${LEASE_MS} ms)`,
    );
    sandbox.setPrice('AAPL', 17_900);
    expect(await quickly(async () => ((await position()) === 22 ? true : undefined))).toBe(true);
    const filled = await quickly(async () => {
      const response = await fetch(`${replica}/accounts/${accountId}/orders/${orderId}`, {
        headers: { Authorization: `Bearer ${user.token}` },
      });
      const body = (await response.json()) as { status: string; history: { type: string }[] };
      return body.status === 'FILLED' ? body : undefined;
    });
    expect([fills(filled), sandbox.openStreams, (await streamAt(replica)).streamedBy]).toEqual([
      1,
      1,
      (await streamAt(replica)).replica,
    ]);
  });
});
