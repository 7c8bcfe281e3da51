import { randomBytes } from 'node:crypto';
import { alert, automationSuite, call, eventually, reachable, signedAlert, shares } from './automation-suite';

// What signals can do beyond a fill: the broker's refusal, signatures, a cancel, a burst, fuzz.
describe('automation signals through the gateway', () => {
  const { ada, createAutomation, signalsOf, signalBecomes, signalled } = automationSuite({
    database: 'tradecore_automation_signals_test',
    gatewayPort: 3900,
    brokerPort: 9992,
    redisDb: 13,
  });

  it("records the broker's refusal on the signal, with what to do about it", async () => {
    const automation = await createAutomation({ name: 'Too big', symbol: 'TSLA', sizing: shares(1) });
    const big = { ticker: 'TSLA', action: 'buy', quantity: 1_000_000 };
    const refused = await signalled(automation, big, ['REJECTED', 'FILLED']);
    expect(refused).toMatchObject({
      orderId: expect.any(String),
      reason: {
        code: 'INSUFFICIENT_BUYING_POWER',
        message: expect.stringMatching(/^the broker refused the order: .*add cash/),
      },
    });
  }, 60_000);

  it('takes only signed webhooks, within the time window, once a signing secret is issued', async () => {
    const automation = await createAutomation({ name: 'Signed', symbol: 'MSFT', sizing: shares(1) });
    const url = reachable(automation);
    const issued = await call(
      'POST',
      `/api/automations/${automation.automationId}/signing-secret`,
      ada.token,
    );
    expect(issued).toMatchObject({
      status: 201,
      body: { signingSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
    });
    const body = JSON.stringify({ ticker: 'MSFT', action: 'buy' });
    const now = Math.floor(Date.now() / 1000);

    expect((await alert(url, { ticker: 'MSFT', action: 'buy' })).body).toMatchObject({
      statusCode: 401,
      code: 'SIGNATURE_REQUIRED',
    });
    expect((await signedAlert(url, body, issued.body.signingSecret, now - 3600)).body).toMatchObject({
      code: 'SIGNATURE_EXPIRED',
    });
    expect((await signedAlert(url, body, 'not-the-secret', now)).body).toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    expect((await signedAlert(url, body, issued.body.signingSecret, now)).status).toBe(202);

    expect(
      (await call('DELETE', `/api/automations/${automation.automationId}/signing-secret`, ada.token)).status,
    ).toBe(204);
    expect((await alert(url, { ticker: 'MSFT', action: 'sell' })).status).toBe(202);
  }, 60_000);

  it("cancels the automation's resting order of the symbol on a cancel signal", async () => {
    const automation = await createAutomation({
      name: 'Dip buyer',
      symbol: 'AAPL',
      sizing: shares(2),
      orderType: 'limit',
    });
    const url = reachable(automation);
    const resting = await alert(url, { ticker: 'AAPL', action: 'buy', price: '1.00' });
    const placed = await signalBecomes(automation.automationId, resting.body.signalId, [
      'PLACED',
      'REJECTED',
    ]);
    expect(placed.status).toBe('PLACED');

    const cancel = await alert(url, { ticker: 'AAPL', action: 'cancel' });
    expect(cancel.status).toBe(202);
    expect(
      await signalBecomes(automation.automationId, cancel.body.signalId, ['CANCEL_SENT', 'REJECTED']),
    ).toMatchObject({ status: 'CANCEL_SENT', order: { symbol: 'AAPL', cancelOrderIds: [placed.orderId] } });
    await signalBecomes(automation.automationId, resting.body.signalId, ['CANCELLED']);
    const order = await call(
      'GET',
      `/api/virtual-broker/accounts/${ada.virtualAccountId}/orders/${placed.orderId}`,
      ada.token,
    );
    expect(order.body).toMatchObject({ status: 'CANCELLED' });

    const cancelAgain = { ticker: 'AAPL', action: 'cancel' };
    expect(await signalled(automation, cancelAgain, ['REJECTED', 'CANCEL_SENT'])).toMatchObject({
      reason: { code: 'NOTHING_TO_CANCEL' },
    });
  }, 60_000);

  it('places a take-profit and a stop-loss once the entry fills, and cancels them for an exit signal', async () => {
    const automation = await createAutomation({ name: 'Bracket', symbol: 'TSLA', sizing: shares(2) });
    const url = reachable(automation);
    const entry = await alert(url, {
      ticker: 'TSLA',
      action: 'buy',
      takeProfit: { percent: '50' },
      stopLoss: { amount: '100.00' },
    });
    const exitsOf = async (status: string) =>
      eventually(async () => {
        const signal = (await signalsOf(automation.automationId)).find(
          (candidate: { signalId: string }) => candidate.signalId === entry.body.signalId,
        );
        const exits = Object.entries(signal?.order?.exits ?? {});
        return exits.length === 2 && exits.every(([, leg]) => (leg as { status: string }).status === status)
          ? Object.fromEntries(
              exits.map(([orderId, leg]) => [
                (leg as { kind: string }).kind,
                { orderId, ...(leg as object) },
              ]),
            )
          : undefined;
      });
    const placed = await exitsOf('PLACED');
    expect(placed).toMatchObject({
      'take-profit': { side: 'sell', quantity: '2', limitPrice: expect.any(String) },
      'stop-loss': { side: 'sell', quantity: '2', stopPrice: expect.any(String) },
    });
    const orderOf = async (orderId: string) =>
      (await call('GET', `/api/virtual-broker/accounts/${ada.virtualAccountId}/orders/${orderId}`, ada.token))
        .body;
    expect(await orderOf(placed['take-profit'].orderId)).toMatchObject({
      type: 'LIMIT',
      side: 'SELL',
      status: 'NEW',
    });
    expect(await orderOf(placed['stop-loss'].orderId)).toMatchObject({
      type: 'STOP',
      side: 'SELL',
      status: 'NEW',
    });

    expect(
      await signalled(automation, { ticker: 'TSLA', action: 'exit' }, ['FILLED', 'REJECTED']),
    ).toMatchObject({ status: 'FILLED', filledQuantity: '2' });
    await exitsOf('CANCELLED');
  }, 90_000);

  it('decides every one of a burst of signals to one automation, each order once', async () => {
    const automation = await createAutomation({
      name: 'Burst',
      symbol: 'SPY',
      sizing: shares(1),
      maxEntriesPerDirection: 100,
    });
    const url = reachable(automation);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        alert(url, { ticker: 'SPY', action: index % 4 === 3 ? 'exit' : 'buy' }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));

    const signals = await eventually(async () => {
      const all = await signalsOf(automation.automationId);
      return all.length === 40 &&
        all.every((signal: { status: string }) => !['RECEIVED', 'ACCEPTED', 'PLACED'].includes(signal.status))
        ? all
        : undefined;
    }, 60_000);
    const orderIds = signals.map((signal: { orderId: string | null }) => signal.orderId).filter(Boolean);
    expect(new Set(orderIds).size).toBe(orderIds.length);
    const orders = (
      await call('GET', `/api/virtual-broker/accounts/${ada.virtualAccountId}/orders?limit=500`, ada.token)
    ).body;
    const placed = JSON.stringify(orders);
    expect(orderIds.filter((orderId: string) => !placed.includes(orderId))).toEqual([]);
  }, 120_000);

  it('answers fuzzed webhook bodies with a 4xx or 2xx, never a 5xx', async () => {
    const automation = await createAutomation({ name: 'Fuzz', sizing: { kind: 'cash', amount: '100.00' } });
    const url = reachable(automation);
    const values = [
      null,
      true,
      0,
      -1,
      1.5,
      1e308,
      '',
      'x'.repeat(5000),
      [],
      {},
      { a: [1] },
      '\u0000',
      'NASDAQ:',
      '💥',
    ];
    const pick = () => values[Math.floor(Math.random() * values.length)];
    const bodies = [
      '',
      'not json',
      '[]',
      'null',
      '{"ticker":',
      '{'.repeat(5000),
      randomBytes(300).toString('binary'),
      JSON.stringify({ ticker: 'AAPL', action: 'buy', quantity: '1e3' }),
      ...Array.from({ length: 60 }, () =>
        JSON.stringify({
          ticker: pick(),
          action: pick(),
          sentiment: pick(),
          quantity: pick(),
          price: pick(),
          signalId: pick(),
          takeProfit: pick(),
          time: pick(),
        }),
      ),
    ];
    const statuses: number[] = [];
    for (const body of bodies) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': Math.random() < 0.5 ? 'text/plain' : 'application/json' },
        body,
      });
      await response.text();
      statuses.push(response.status);
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status >= 400)).not.toHaveLength(0);
  }, 120_000);
});
