import { randomBytes } from 'node:crypto';
import { adminToken, alert, automationSuite, call, eventually, reachable, shares } from './automation-suite';

// An automation on a real broker account as a user meets it: `npm start` with its local Alpaca
// sandbox, an Alpaca account connected with the sandbox's test keys, and a TradingView-style
// webhook that ends as an order FILLED at the sandbox, sent by broker-connection through Kafka.
describe('automation on an Alpaca account through the gateway', () => {
  const { ada, createAutomation, signalsOf, signalBecomes, signalled } = automationSuite({
    database: 'tradecore_automation_alpaca_test',
    gatewayPort: 3950,
    brokerPort: 9993,
    redisDb: 14,
  });
  /** Ada's Alpaca connection and account, and her token to create automations on it. */
  const alpaca = { connectionId: '', accountId: '', token: '' };

  beforeAll(async () => {
    const requested = await call('POST', '/api/broker-connections', ada.token, {
      broker: 'alpaca',
      mode: 'paper',
      credentials: {
        apiKeyId: `PKTEST${randomBytes(5).toString('hex').toUpperCase()}`,
        apiSecretKey: 'sandbox-secret',
      },
    });
    expect(requested.status).toBe(202);
    alpaca.connectionId = requested.body.connectionId;
    const account = await eventually(
      async () =>
        (await call('GET', `/api/broker-accounts?connectionId=${alpaca.connectionId}`, ada.token)).body?.[0],
      60_000,
    );
    alpaca.accountId = account.accountId;
    alpaca.token = ada.token;
    // Fills reach broker-connection through the account's trade_updates stream.
    await eventually(async () => {
      const stream = await call('GET', `/api/broker-connections/${alpaca.connectionId}/stream`, ada.token);
      return stream.body?.listening ? true : undefined;
    }, 30_000);
  }, 120_000);

  it('turns a webhook into an order FILLED at the sandbox, with the position and the fill on the signal', async () => {
    const automation = await createAutomation(
      { name: 'AAPL on Alpaca', symbol: 'AAPL', sizing: shares(3) },
      alpaca,
    );
    expect(automation).toMatchObject({ broker: 'alpaca', accountId: alpaca.accountId });
    const received = await alert(reachable(automation), {
      ticker: 'NASDAQ:AAPL',
      action: 'buy',
      signalId: 'alpaca-breakout-1',
    });
    expect(received.status).toBe(202);

    const filled = await signalBecomes(automation.automationId, received.body.signalId, [
      'FILLED',
      'REJECTED',
    ]);
    expect(filled).toMatchObject({
      status: 'FILLED',
      filledQuantity: '3',
      averageFillPrice: expect.any(String),
    });
    expect(filled.timings.filledMs).toBeGreaterThanOrEqual(filled.timings.decidedMs);

    // The one order API shows the order the automation placed, FILLED at the broker.
    const order = await call(
      'GET',
      `/api/trading/accounts/${alpaca.accountId}/orders/${filled.orderId}`,
      ada.token,
    );
    expect(order.body).toMatchObject({ status: 'FILLED', symbol: 'AAPL', side: 'BUY', filledQuantity: 3 });
    const position = await eventually(async () => {
      const positions: { symbol: string; quantity: number }[] =
        (await call('GET', `/api/broker-accounts/${alpaca.accountId}/positions`, ada.token)).body ?? [];
      return positions.find((held) => held.symbol === 'AAPL' && held.quantity === 3);
    });
    expect(position).toMatchObject({ symbol: 'AAPL', quantity: 3 });

    const closed = await signalled(automation, { ticker: 'AAPL', action: 'exit' }, ['FILLED', 'REJECTED']);
    expect(closed).toMatchObject({ status: 'FILLED', filledQuantity: '3' });
  }, 90_000);

  it("records the broker's refusal on the signal with its code", async () => {
    const automation = await createAutomation(
      { name: 'Too big for Alpaca', symbol: 'TSLA', sizing: shares(1) },
      alpaca,
    );
    const big = { ticker: 'TSLA', action: 'buy', quantity: 1_000_000 };
    const refused = await signalled(automation, big, ['REJECTED', 'FILLED']);
    expect(refused.reason).toEqual({
      code: 'INSUFFICIENT_BUYING_POWER',
      message: expect.stringMatching(/^the broker refused the order: /),
    });
  }, 60_000);

  it('rests the take-profit and stop-loss at the sandbox once the entry fills', async () => {
    const automation = await createAutomation(
      { name: 'With exits', symbol: 'MSFT', sizing: shares(1) },
      alpaca,
    );
    const received = await alert(reachable(automation), {
      ticker: 'MSFT',
      action: 'buy',
      takeProfit: { percent: '5' },
      stopLoss: { percent: '5' },
    });
    await signalBecomes(automation.automationId, received.body.signalId, ['FILLED']);
    const exits = await eventually(async () => {
      const signal = (await signalsOf(automation.automationId)).find(
        (candidate: { signalId: string }) => candidate.signalId === received.body.signalId,
      );
      const legs = Object.values(signal?.order?.exits ?? {}) as { kind: string; status: string }[];
      return legs.length === 2 && legs.every((leg) => leg.status === 'PLACED') ? legs : undefined;
    });
    expect(exits.map((leg) => leg.kind).sort()).toEqual(['stop-loss', 'take-profit']);
  }, 60_000);

  it("deletes the Alpaca connection's automations when it is disconnected, the saga naming each in its state", async () => {
    const kept = await createAutomation({ name: 'On paper', sizing: shares(1) });
    const onAlpaca = (
      (await call('GET', '/api/automations', ada.token)).body as { automationId: string; accountId: string }[]
    )
      .filter((automation) => automation.accountId === alpaca.accountId)
      .map((automation) => automation.automationId);
    expect(onAlpaca.length).toBeGreaterThan(0);
    const disconnected = await call(
      'POST',
      `/api/broker-connections/${alpaca.connectionId}/disconnect`,
      ada.token,
    );
    expect(disconnected.status).toBeLessThan(300);

    const admin = await adminToken();
    const saga = await eventually(async () => {
      const query = `type=BrokerDisconnection&aggregateId=${alpaca.connectionId}`;
      const [found] = (await call('GET', `/ops/sagas?${query}`, admin)).body?.sagas ?? [];
      return found?.status === 'COMPLETED' ? found : undefined;
    }, 60_000);
    const detail = (await call('GET', `/ops/sagas/${saga.id}`, admin)).body;
    expect([...detail.context.deletedAutomationIds].sort()).toEqual([...onAlpaca].sort());
    const deleteStep = detail.timeline.find(
      (entry: { step: string; event: string }) =>
        entry.step === 'delete-automations' && entry.event === 'succeeded',
    );
    expect(deleteStep.detail).toMatchObject({ deletedAutomationIds: expect.arrayContaining(onAlpaca) });
    for (const automationId of onAlpaca)
      expect((await call('GET', `/api/automations/${automationId}`, ada.token)).status).toBe(404);
    expect((await call('GET', `/api/automations/${kept.automationId}`, ada.token)).body).toMatchObject({
      status: 'ACTIVE',
    });
  }, 90_000);
});
