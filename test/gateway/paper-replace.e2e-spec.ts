import { randomUUID } from 'node:crypto';
import { ChaosClient, type ChaosUser } from '../chaos/support/chaos-client';
import { ChaosStack, eventually } from '../chaos/support/chaos-stack';
import { tradingAs } from '../support/trading-routes';

/**
 * Issue 20's replace on a paper account: every compiled app behind the gateway (`npm run build`
 * first), the feed in manual mode. The requests are the Alpaca e2e's (test/gateway/alpaca-trading.e2e-spec.ts),
 * through the same `/api/trading/accounts/…` routes, which broker-connection passes on to the paper broker.
 */
describe('replacing a paper order through the one order API (issue 20)', () => {
  let stack: ChaosStack;
  let client: ChaosClient;
  let user: ChaosUser;
  let connectionId: string;
  let accountId: string;

  const { trading, restingBuy, order } = tradingAs(() => ({ client, token: user.token, accountId }));
  const askOf = async (symbol: string): Promise<string> => {
    const { body } = await client.http('GET', '/api/virtual-broker/quotes', user.token);
    return (body.quotes as { symbol: string; ask: string }[]).find((quote) => quote.symbol === symbol)!.ask;
  };
  const buyingPowerAtBrokerAccount = (expected: string) =>
    eventually(async () => {
      const { body } = await client.http(
        'GET',
        `/api/broker-accounts?connectionId=${connectionId}`,
        user.token,
      );
      return body[0]?.balance?.buyingPower === expected ? true : undefined;
    }, 10_000);

  beforeAll(async () => {
    stack = await ChaosStack.start();
    client = new ChaosClient(stack);
    user = await client.signUp();
    connectionId = await client.connectVirtual(user.token);
    accountId = await client.paperAccountOf(user.token);
    const ticked = await client.http('POST', '/api/virtual-broker/market/ticks', stack.adminToken(), {
      ticks: 1,
    });
    expect(ticked.status).toBe(200);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('rests a limit order, shows the new price after a PATCH, and fills once the new limit crosses', async () => {
    const orderId = await restingBuy(5, '1.00');
    const moved = await trading('PATCH', `/orders/${orderId}`, { limitPrice: '2.00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ orderId, accountId, status: 'NEW' });
    const resting = (await order(orderId)).body;
    expect(resting).toMatchObject({ status: 'NEW', quantity: 5, limitPrice: '2.00', timeInForce: 'GTC' });
    expect(resting.history.map((entry: { change: string }) => entry.change)).toEqual([
      'OrderPlaced',
      'OrderReplaced',
    ]);
    await buyingPowerAtBrokerAccount('99990.00');

    const ask = await askOf('AAPL');
    const crossing = (Number(ask) + 1).toFixed(2);
    const crossed = await trading('PATCH', `/orders/${orderId}`, { quantity: 3, limitPrice: crossing });
    expect(crossed.status).toBe(200);
    expect(crossed.body).toMatchObject({ orderId, status: 'FILLED' });
    expect((await order(orderId)).body).toMatchObject({
      status: 'FILLED',
      quantity: 3,
      limitPrice: crossing,
      filledQuantity: 3,
      averageFillPrice: ask,
    });
    const positions = await trading('GET', '/positions');
    expect(positions.body).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: 3 })]);

    const again = await trading('PATCH', `/orders/${orderId}`, { limitPrice: '1.00' });
    expect([again.status, again.body.code]).toEqual([422, 'ORDER_NOT_OPEN']);
  });

  it('refuses what a real account refuses, with the same codes, and leaves the order as it was', async () => {
    const orderId = await restingBuy(2, '1.00');
    const oversized = await trading('PATCH', `/orders/${orderId}`, { quantity: 1_000_000 });
    expect([oversized.status, oversized.body.code]).toEqual([422, 'INSUFFICIENT_BUYING_POWER']);
    const noStop = await trading('PATCH', `/orders/${orderId}`, { stopPrice: '1.00' });
    expect([noStop.status, noStop.body.code]).toEqual([422, 'INVALID_STOP_PRICE']);
    const nothing = await trading('PATCH', `/orders/${orderId}`, {});
    expect([nothing.status, nothing.body.code]).toEqual([422, 'NOTHING_TO_REPLACE']);
    const missing = await trading('PATCH', `/orders/${randomUUID()}`, { quantity: 1 });
    expect([missing.status, missing.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    expect((await order(orderId)).body).toMatchObject({ status: 'NEW', quantity: 2, limitPrice: '1.00' });
  });
});
