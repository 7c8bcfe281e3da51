import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LaunchedSuite } from '../../../test/support/launched-suite';

// Automations as a user meets them: `npm start`, every call through the gateway, a webhook
// posted the way TradingView posts it, and the paper broker's fill seen on the signal.
const GATEWAY_PORT = 3800;
const DATABASE = 'tradecore_automation_test';
const base = `http://127.0.0.1:${GATEWAY_PORT}`;

/** The answer, its body parsed as JSON (left untyped, as a client reads it). */
const answerOf = async (response: Response) => {
  const text = await response.text();
  return {
    status: response.status,
    correlationId: response.headers.get('x-correlation-id') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
};

async function call(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answerOf(response);
}

/** As TradingView sends an alert: the JSON message typed by the user, as text/plain, no bearer token. */
async function alert(webhookUrl: string, message: object) {
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: JSON.stringify(message),
  });
  return answerOf(response);
}

async function signedAlert(webhookUrl: string, body: string, secret: string, timestamp: number) {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-tradecore-signature': `t=${timestamp},v1=${signature}` },
    body,
  });
  return answerOf(response);
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('automations through the gateway', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'automation-'));
  let suite: LaunchedSuite | undefined;
  let token: string;
  let accountId: string;
  let virtualAccountId: string;

  async function signUp(name: string): Promise<string> {
    const email = `${name}-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'correct horse battery staple';
    const registered = await call('POST', '/api/auth/register', undefined, {
      email,
      password,
      displayName: name,
    });
    expect(registered.status).toBe(201);
    return (await call('POST', '/api/auth/login', undefined, { email, password })).body.accessToken;
  }

  /** A paper connection and its one broker account, once broker-account has linked it. */
  async function connectPaper(userToken: string) {
    const connection = await call('POST', '/api/broker-connections', userToken, {
      broker: 'virtual',
      mode: 'paper',
      paperAccounts: { count: 1, startingCash: '100000.00' },
    });
    expect(connection.status).toBeLessThan(300);
    const { connectionId } = connection.body;
    const account = await eventually(
      async () =>
        (await call('GET', `/api/broker-accounts?connectionId=${connectionId}`, userToken)).body?.[0],
    );
    return {
      connectionId: connectionId as string,
      accountId: account.accountId as string,
      virtualAccountId: account.virtualAccountId as string,
    };
  }

  beforeAll(async () => {
    suite = await LaunchedSuite.fresh({
      database: DATABASE,
      gatewayPort: GATEWAY_PORT,
      brokerPort: 9892,
      redisDb: 11,
      dataDir,
    });
    token = await signUp('ada');
    ({ accountId, virtualAccountId } = await connectPaper(token));
  }, 300_000);

  afterAll(async () => {
    await suite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  /** The automation service learns of the account through Kafka, so the first attempt may come early. */
  const createAutomation = (settings: object, as = { token: '', accountId: '' }) =>
    eventually(async () => {
      const created = await call('POST', '/api/automations', as.token || token, {
        accountId: as.accountId || accountId,
        ...settings,
      });
      if (created.status === 404) return undefined;
      expect(created.status).toBe(201);
      return created.body;
    });

  const signalsOf = async (automationId: string) =>
    (await call('GET', `/api/automations/${automationId}/signals`, token)).body;

  const signalBecomes = (automationId: string, signalId: string, statuses: string[]) =>
    eventually(async () => {
      const signal = (await signalsOf(automationId)).find(
        (candidate: { signalId: string }) => candidate.signalId === signalId,
      );
      return statuses.includes(signal?.status) ? signal : undefined;
    });

  it('turns a webhook into a filled order on the paper account, with the signal history to show it', async () => {
    const automation = await createAutomation({
      name: 'AAPL breakout',
      symbol: 'AAPL',
      sizing: { kind: 'fixed-quantity', quantity: 3 },
    });
    expect(automation).toMatchObject({ status: 'ACTIVE', accountId, maxEntriesPerDirection: 1 });
    expect(automation.webhookUrl).toMatch(
      new RegExp(`^http://localhost:${GATEWAY_PORT}/api/webhooks/[A-Za-z0-9_-]{43}$`),
    );
    const webhookUrl = automation.webhookUrl.replace('localhost', '127.0.0.1');

    const received = await alert(webhookUrl, {
      ticker: 'NASDAQ:AAPL',
      action: 'buy',
      price: '190.00',
      strategy: 'x',
    });
    expect(received).toMatchObject({
      status: 202,
      body: { signalId: expect.any(String), status: 'RECEIVED' },
    });

    const filled = await signalBecomes(automation.automationId, received.body.signalId, [
      'FILLED',
      'REJECTED',
    ]);
    expect(filled).toMatchObject({
      status: 'FILLED',
      payload: { ticker: 'AAPL', action: 'buy', price: '190.00', extra: { strategy: 'x' } },
      order: { symbol: 'AAPL', side: 'buy', kind: 'market', quantity: '3' },
      filledQuantity: '3',
      averageFillPrice: expect.stringMatching(/^\d+\.\d+$/),
    });
    expect(filled.timings.filledMs).toBeGreaterThanOrEqual(filled.timings.decidedMs);
    const order = await call(
      'GET',
      `/api/virtual-broker/accounts/${virtualAccountId}/orders/${filled.orderId}`,
      token,
    );
    expect(order.body).toMatchObject({ status: 'FILLED' });
    const positions = (await call('GET', `/api/virtual-broker/accounts/${virtualAccountId}/positions`, token))
      .body;
    expect(JSON.stringify(positions)).toContain('AAPL');

    // The ops trace follows the signal from the webhook request through the paper broker's fill.
    const admin = (
      await call('POST', '/api/auth/login', undefined, {
        email: 'admin@tradecore.local',
        password: 'Admin-Passw0rd!',
      })
    ).body.accessToken;
    const traced = await eventually(async () => {
      const entries: { type: string }[] =
        (await call('GET', `/ops/trace?correlationId=${received.correlationId}`, admin)).body?.entries ?? [];
      return entries.some((entry) => entry.type === 'SignalOrderFilled')
        ? entries.map((entry) => entry.type)
        : undefined;
    });
    expect(traced).toEqual(
      expect.arrayContaining([
        'SignalReceived',
        'SignalAccepted',
        'OrderPlaced',
        'OrderFilled',
        'SignalOrderFilled',
      ]),
    );

    // The same alert again cannot buy twice; another one is past the pyramiding limit of 1.
    const again = await alert(webhookUrl, { ticker: 'AAPL', action: 'buy', signalId: 'tv-1' });
    expect(again.status).toBe(202);
    expect(await alert(webhookUrl, { ticker: 'AAPL', action: 'buy', signalId: 'tv-1' })).toMatchObject({
      status: 200,
      body: { signalId: again.body.signalId, status: 'DUPLICATE' },
    });
    const limited = await signalBecomes(automation.automationId, again.body.signalId, ['REJECTED', 'FILLED']);
    expect(limited).toMatchObject({ status: 'REJECTED', reason: { code: 'PYRAMIDING_LIMIT' } });
    expect(
      (await signalsOf(automation.automationId)).filter((s: { orderId: string | null }) => s.orderId),
    ).toHaveLength(1);
  }, 120_000);

  it('rejects signals while paused, saying how to resume', async () => {
    const automation = await createAutomation({
      name: 'Paused',
      symbol: 'MSFT',
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    const paused = await call('PATCH', `/api/automations/${automation.automationId}`, token, {
      active: false,
    });
    expect(paused).toMatchObject({ status: 200, body: { status: 'PAUSED' } });
    const received = await alert(automation.webhookUrl.replace('localhost', '127.0.0.1'), {
      ticker: 'MSFT',
      action: 'buy',
    });
    const rejected = await signalBecomes(automation.automationId, received.body.signalId, [
      'REJECTED',
      'FILLED',
    ]);
    expect(rejected.reason).toEqual({
      code: 'AUTOMATION_PAUSED',
      message: expect.stringMatching(/resume it/),
    });
    expect(rejected.orderId).toBeNull();
  }, 60_000);

  it('answers 404 for an unknown or rotated-away token and names the field of a malformed body', async () => {
    const automation = await createAutomation({
      name: 'Rotated',
      sizing: { kind: 'cash', amount: '500.00' },
    });
    const oldUrl = automation.webhookUrl.replace('localhost', '127.0.0.1');
    expect((await alert(oldUrl, { ticker: 'AAPL', action: 'sell', quantity: 1.5 })).body).toMatchObject({
      statusCode: 400,
      details: [{ field: 'quantity', reason: expect.any(String) }],
    });
    const rotated = await call('POST', `/api/automations/${automation.automationId}/rotate-token`, token);
    expect(rotated.body.webhookUrl).not.toBe(automation.webhookUrl);
    expect((await alert(oldUrl, { ticker: 'AAPL', action: 'buy' })).status).toBe(404);
    expect(
      (await alert(`${base}/api/webhooks/${'x'.repeat(43)}`, { ticker: 'AAPL', action: 'buy' })).status,
    ).toBe(404);
    expect(
      (
        await alert(rotated.body.webhookUrl.replace('localhost', '127.0.0.1'), {
          ticker: 'AAPL',
          action: 'buy',
        })
      ).status,
    ).toBe(202);
  }, 60_000);

  it('shows an automation to its owner only, and forgets it once deleted', async () => {
    const automation = await createAutomation({
      name: 'Mine',
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    const email = `other-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'correct horse battery staple';
    await call('POST', '/api/auth/register', undefined, { email, password, displayName: 'Bob' });
    const other = (await call('POST', '/api/auth/login', undefined, { email, password })).body.accessToken;
    expect((await call('GET', `/api/automations/${automation.automationId}`, other)).status).toBe(404);
    expect(
      (
        await call('POST', '/api/automations', other, {
          accountId,
          name: 'theirs',
          sizing: { kind: 'fixed-quantity', quantity: 1 },
        })
      ).status,
    ).toBe(404);
    expect((await call('DELETE', `/api/automations/${automation.automationId}`, other)).status).toBe(404);
    expect((await call('DELETE', `/api/automations/${automation.automationId}`, token)).status).toBe(204);
    expect((await call('GET', `/api/automations/${automation.automationId}`, token)).status).toBe(404);
    expect(
      (
        await alert(automation.webhookUrl.replace('localhost', '127.0.0.1'), {
          ticker: 'AAPL',
          action: 'buy',
        })
      ).status,
    ).toBe(404);
  }, 60_000);

  it('deletes the automations of a connection when it is disconnected', async () => {
    const connection = await connectPaper(token);
    const doomed = await createAutomation(
      { name: 'On the old connection', sizing: { kind: 'fixed-quantity', quantity: 1 } },
      { token, accountId: connection.accountId },
    );
    const kept = await createAutomation({
      name: 'Elsewhere',
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    expect(
      (await call('POST', `/api/broker-connections/${connection.connectionId}/disconnect`, token)).status,
    ).toBeLessThan(300);

    await eventually(async () =>
      (await call('GET', `/api/automations/${doomed.automationId}`, token)).status === 404 ? true : undefined,
    );
    expect(
      (await alert(doomed.webhookUrl.replace('localhost', '127.0.0.1'), { ticker: 'AAPL', action: 'buy' }))
        .status,
    ).toBe(404);
    expect((await call('GET', `/api/automations/${kept.automationId}`, token)).body).toMatchObject({
      status: 'ACTIVE',
    });
  }, 90_000);

  it('deletes every automation of a user who deletes their account', async () => {
    const bob = await signUp('bob');
    const connection = await connectPaper(bob);
    const automations = [
      await createAutomation(
        { name: 'One', sizing: { kind: 'fixed-quantity', quantity: 1 } },
        { token: bob, accountId: connection.accountId },
      ),
      await createAutomation(
        { name: 'Two', sizing: { kind: 'fixed-quantity', quantity: 1 } },
        { token: bob, accountId: connection.accountId },
      ),
    ];
    expect((await call('DELETE', '/api/users/me', bob)).status).toBe(202);

    for (const automation of automations)
      await eventually(async () =>
        (
          await alert(automation.webhookUrl.replace('localhost', '127.0.0.1'), {
            ticker: 'AAPL',
            action: 'buy',
          })
        ).status === 404
          ? true
          : undefined,
      );
  }, 120_000);

  it("records the broker's refusal on the signal, with what to do about it", async () => {
    const automation = await createAutomation({
      name: 'Too big',
      symbol: 'TSLA',
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    const received = await alert(automation.webhookUrl.replace('localhost', '127.0.0.1'), {
      ticker: 'TSLA',
      action: 'buy',
      quantity: 1_000_000,
    });
    const refused = await signalBecomes(automation.automationId, received.body.signalId, [
      'REJECTED',
      'FILLED',
    ]);
    expect(refused).toMatchObject({
      orderId: expect.any(String),
      reason: {
        code: 'INSUFFICIENT_BUYING_POWER',
        message: expect.stringMatching(/^the broker refused the order: .*add cash/),
      },
    });
  }, 60_000);

  it('takes only signed webhooks, within the time window, once a signing secret is issued', async () => {
    const automation = await createAutomation({
      name: 'Signed',
      symbol: 'MSFT',
      sizing: { kind: 'fixed-quantity', quantity: 1 },
    });
    const url = automation.webhookUrl.replace('localhost', '127.0.0.1');
    const issued = await call('POST', `/api/automations/${automation.automationId}/signing-secret`, token);
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
      (await call('DELETE', `/api/automations/${automation.automationId}/signing-secret`, token)).status,
    ).toBe(204);
    expect((await alert(url, { ticker: 'MSFT', action: 'sell' })).status).toBe(202);
  }, 60_000);

  it('decides every one of a burst of signals to one automation, each order once', async () => {
    const automation = await createAutomation({
      name: 'Burst',
      symbol: 'SPY',
      sizing: { kind: 'fixed-quantity', quantity: 1 },
      maxEntriesPerDirection: 100,
    });
    const url = automation.webhookUrl.replace('localhost', '127.0.0.1');
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
      await call('GET', `/api/virtual-broker/accounts/${virtualAccountId}/orders?limit=500`, token)
    ).body;
    const placed = JSON.stringify(orders);
    expect(orderIds.filter((orderId: string) => !placed.includes(orderId))).toEqual([]);
  }, 120_000);

  it('answers fuzzed webhook bodies with a 4xx or 2xx, never a 5xx', async () => {
    const automation = await createAutomation({ name: 'Fuzz', sizing: { kind: 'cash', amount: '100.00' } });
    const url = automation.webhookUrl.replace('localhost', '127.0.0.1');
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

  it('lets an admin check and rebuild its read models through the gateway, and points Kafka-fed ones at their topic', async () => {
    const admin = (
      await call('POST', '/api/auth/login', undefined, {
        email: 'admin@tradecore.local',
        password: 'Admin-Passw0rd!',
      })
    ).body.accessToken;
    const ops = '/ops/projections/automation';
    expect((await call('GET', ops, token)).status).toBe(403);
    const listed = await call('GET', ops, admin);
    expect(
      listed.body.projections.map((p: { name: string; source: string }) => `${p.name}:${p.source}`),
    ).toEqual(['automations:event-store', 'broker-accounts:kafka']);
    const fedFromKafka = await call('POST', `${ops}/broker-accounts/rebuild`, admin);
    expect(fedFromKafka).toMatchObject({
      status: 422,
      body: { code: 'PROJECTION_FED_FROM_KAFKA', details: { topic: 'broker-account.events' } },
    });
    const automation = await createAutomation({
      name: 'Rebuilt',
      sizing: { kind: 'cash', amount: '100.00' },
    });
    expect((await call('POST', `${ops}/automations/drift-check`, admin)).body).toMatchObject({
      drifted: false,
    });
    const started = await call('POST', `${ops}/automations/rebuild`, admin);
    expect(started.status).toBe(202);
    await eventually(async () => {
      const { rebuilds } = (await call('GET', `${ops}/automations/rebuilds`, admin)).body;
      const run = rebuilds.find((candidate: { id: string }) => candidate.id === started.body.runId);
      return run?.phase === 'swapped' ? run : undefined;
    });
    expect((await call('GET', `/api/automations/${automation.automationId}`, token)).body).toMatchObject({
      name: 'Rebuilt',
    });
    expect((await call('POST', `${ops}/automations/drift-check`, admin)).body).toMatchObject({
      drifted: false,
    });
  });
});
