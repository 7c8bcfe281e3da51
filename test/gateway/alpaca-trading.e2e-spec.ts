import { randomUUID } from 'node:crypto';
import { startAlpacaSandbox } from '@tradecore/broker-sandboxes';
import { progress, readiness } from '../chaos/support/chaos-stack';
import { streamOf } from '../support/sandbox-accounts';
import { QUICK_BREAKER, useSuiteWithAlpaca } from '../support/sandbox-suite';
import { fillsOf, quickly, tradingAs } from '../support/trading-routes';

/**
 * Issue 20 as a trader meets it: every compiled app behind the gateway (`npm run build` first)
 * and the local Alpaca sandbox. One order API (`/api/trading/accounts/…`) for an Alpaca account
 * and a paper account; fills arrive through the account's trade_updates stream.
 */
describe('trading an Alpaca account through the gateway (issue 20)', () => {
  const suite = useSuiteWithAlpaca(QUICK_BREAKER);
  const { trading, restingBuy, order, status, position } = tradingAs(suite.trader);

  it('fills a market order through the stream and updates the position and balance in broker-account', async () => {
    const { client, user, accountId } = suite;
    const orderId = randomUUID();
    const placed = await trading('POST', '/orders', {
      orderId,
      symbol: 'AAPL',
      side: 'BUY',
      type: 'MARKET',
      quantity: 10,
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ orderId, accountId, status: 'NEW' });
    const startedAt = Date.now();
    const filled = await status(orderId, 'FILLED');
    expect(filled).toMatchObject({ filledQuantity: 10, averageFillPrice: '190.01', type: 'MARKET' });
    expect(await quickly(async () => ((await position()) === 10 ? true : undefined))).toBe(true);
    const balance = await quickly(async () => {
      const { body } = await client.http('GET', `/api/broker-accounts/${accountId}`, user.token);
      return Number(body.balance?.cash) === 98099.9 ? body.balance : undefined;
    });
    progress(`fill to position and balance in broker-account: ${Date.now() - startedAt} ms`);
    expect(Number(balance.buyingPower)).toBe(98099.9);
    const positions = await trading('GET', '/positions');
    expect(positions.body).toEqual([
      expect.objectContaining({ symbol: 'AAPL', quantity: 10, averagePrice: '190.01' }),
    ]);
    expect((await trading('GET', '')).body).toMatchObject({
      accountId,
      cash: '98099.90',
      buyingPower: '98099.90',
    });
  });

  it('rests a limit order, replaces it, and cancels it', async () => {
    const orderId = await restingBuy(5, '150.00');
    const replaced = await trading('PATCH', `/orders/${orderId}`, { quantity: 3 });
    expect(replaced.status).toBe(200);
    expect((await order(orderId)).body).toMatchObject({ status: 'NEW', quantity: 3, limitPrice: '150.00' });
    const cancelled = await trading('POST', `/orders/${orderId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ orderId, status: 'CANCELLED' });
    const open = await trading('GET', '/orders?status=OPEN');
    expect(open.body.map((listed: { orderId: string }) => listed.orderId)).not.toContain(orderId);
    const again = await trading('POST', `/orders/${orderId}/cancel`);
    expect([again.status, again.body.code]).toEqual([422, 'ORDER_NOT_OPEN']);
  });

  it('refuses an over-sized order with the same code as a paper account, through the same route', async () => {
    const { client, user } = suite;
    const oversized = { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 100_000 };
    const alpaca = await trading('POST', '/orders', oversized);
    expect([alpaca.status, alpaca.body.code]).toEqual([422, 'INSUFFICIENT_BUYING_POWER']);
    await client.connectVirtual(user.token);
    const paperAccount = await client.paperAccountOf(user.token);
    const paper = await client.http(
      'POST',
      `/api/trading/accounts/${paperAccount}/orders`,
      user.token,
      oversized,
    );
    expect([paper.status, paper.body.code]).toEqual([422, 'INSUFFICIENT_BUYING_POWER']);
    const listed = await trading('GET', '/orders?status=REJECTED');
    expect(listed.body[0]).toMatchObject({
      status: 'REJECTED',
      rejection: { code: 'INSUFFICIENT_BUYING_POWER' },
    });
  });

  it('reconciles a fill made while the stream socket was down: none lost, none doubled', async () => {
    const { sandbox, client, user, connectionId } = suite;
    const orderId = await restingBuy(10, '189.00');
    expect(sandbox.dropStreams(1500)).toBeGreaterThan(0);
    sandbox.setPrice('AAPL', 18_800);
    const filled = await status(orderId, 'FILLED');
    expect(fillsOf(filled)).toBe(1);
    // The count is set once the whole reconciliation has run, a moment after this fill became visible.
    const stream = await quickly(async () => {
      const body = await streamOf(client, user.token, connectionId);
      return body.lastReconciledFills === 1 ? body : undefined;
    }, 5_000);
    expect(stream).toMatchObject({ listening: true, reconnections: 1, lastReconciledFills: 1 });
    expect(await quickly(async () => ((await position()) === 20 ? true : undefined))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await position()).toBe(20);
    expect(fillsOf((await order(orderId)).body)).toBe(1);
  });

  it('opens the Alpaca circuit in readiness while the sandbox is down, and closes it when it is back', async () => {
    const { stack, sandbox } = suite;
    const alpacaCircuit = async () =>
      JSON.parse((await readiness(`${stack.url('broker-connection')}/health/ready`)).text).details
        .brokerCircuits.alpaca;
    const port = Number(new URL(sandbox.url).port);
    await sandbox.stop();
    for (let call = 0; call < 3; call++)
      expect((await trading('GET', '')).body.code).toBe('BROKER_UNAVAILABLE');
    expect(await alpacaCircuit()).toBe('open');
    suite.sandbox = await startAlpacaSandbox({ port, tickMs: 100 });
    const recovered = await quickly(
      async () => ((await trading('GET', '')).status === 200 ? true : undefined),
      10_000,
    );
    expect(recovered).toBe(true);
    expect(await alpacaCircuit()).toBe('closed');
  });
});
