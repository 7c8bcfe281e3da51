import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { ChaosClient, type ChaosUser } from '../chaos/support/chaos-client';
import { ChaosStack, eventually } from '../chaos/support/chaos-stack';

/**
 * Issue 17's broker and paper-trading defects, reproduced as a user meets them: every compiled
 * app behind the gateway (`npm run build` first), an Alpaca stand-in, and a timed quote feed.
 */
const REDIS_URL = 'redis://127.0.0.1:6379/7';
const CONNECTIONS_PER_USER = 4;

/** Alpaca's GET /v2/account: `GOOD…` keys reach an account, `LIMITED…` keys are over their rate limit. */
function alpacaStandIn(): Promise<Server> {
  const server = createServer((req, res) => {
    const key = String(req.headers['apca-api-key-id']);
    const [status, body] = key.startsWith('GOOD')
      ? [
          200,
          {
            account_number: `PA${key}`,
            status: 'ACTIVE',
            currency: 'USD',
            cash: '10',
            buying_power: '10',
            equity: '10',
            multiplier: '1',
          },
        ]
      : key.startsWith('LIMITED')
        ? [429, { message: 'rate limit exceeded' }]
        : [403, { message: 'forbidden' }];
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('broker connections and paper trading guard the shared parts (issue 17)', () => {
  let alpaca: Server;
  let stack: ChaosStack;
  let client: ChaosClient;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });

  beforeAll(async () => {
    alpaca = await alpacaStandIn();
    const alpacaUrl = `http://127.0.0.1:${(alpaca.address() as AddressInfo).port}`;
    stack = await ChaosStack.start({
      REDIS_URL,
      ALPACA_PAPER_BASE_URL: alpacaUrl,
      ALPACA_LIVE_BASE_URL: alpacaUrl,
      BROKER_HTTP_RETRIES: '0',
      BROKER_CIRCUIT_FAILURES: '3',
      BROKER_CONNECTIONS_PER_USER: String(CONNECTIONS_PER_USER),
      QUOTE_TICK_MS: '200',
      QUOTE_STALE_AFTER_MS: '1000',
    });
    client = new ChaosClient(stack);
    await redis.connect();
  }, 300_000);

  afterAll(async () => {
    await redis.quit();
    await stack?.stop();
    alpaca?.closeAllConnections();
    alpaca?.close();
  }, 60_000);

  const connect = (user: ChaosUser, body: object) =>
    client.http('POST', '/api/broker-connections', user.token, body);
  const alpacaKeys = (apiKeyId: string, mode = 'paper') => ({
    broker: 'alpaca',
    mode,
    credentials: { apiKeyId, apiSecretKey: 'secret-1' },
  });
  const settledStatus = (user: ChaosUser, id: string) =>
    eventually(async () => {
      const status = await client.connectionStatus(user.token, id);
      return status === 'CONNECTED' || status === 'FAILED' ? status : undefined;
    }, 90_000);

  it('refuses credentials that cannot go into an HTTP header with 400 naming the field', async () => {
    const user = await client.signUp();
    const refused = await connect(user, alpacaKeys('GOOD\r\nX-Injected: 1'));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'credentials.apiKeyId' })],
    });
  });

  it("one user's rate-limited keys never open the Alpaca breaker that another user's connection needs", async () => {
    const mallory = await client.signUp();
    for (let i = 0; i < CONNECTIONS_PER_USER; i += 1) {
      const requested = await connect(mallory, alpacaKeys(`LIMITED${i}`));
      expect(requested.status).toBe(202);
      expect(await settledStatus(mallory, requested.body.connectionId)).toBe('FAILED');
    }

    const alice = await client.signUp();
    const requested = await connect(alice, alpacaKeys('GOODALICE'));
    expect(await settledStatus(alice, requested.body.connectionId)).toBe('CONNECTED');
    const health = await client.http(
      'GET',
      `/api/broker-connections/${requested.body.connectionId}/health`,
      alice.token,
    );
    expect(health.body).toMatchObject({ session: 'ok', circuit: 'closed' });
  });

  it('refuses a second live connection to the same account naming the first, and a connection beyond the limit', async () => {
    const carol = await client.signUp();
    const first = await connect(carol, alpacaKeys('GOODCAROL'));
    expect(first.status).toBe(202);
    const again = await connect(carol, {
      ...alpacaKeys('GOODCAROL'),
      credentials: { apiKeyId: 'GOODCAROL', apiSecretKey: 'rotated' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'CONNECTION_ALREADY_EXISTS',
      details: { connectionId: first.body.connectionId },
    });

    // Live is another account; paper connections open new accounts each time, so none is a duplicate.
    expect((await connect(carol, alpacaKeys('GOODCAROL', 'live'))).status).toBe(202);
    const paper = { broker: 'virtual', mode: 'paper' };
    expect((await connect(carol, paper)).status).toBe(202);
    expect((await connect(carol, paper)).status).toBe(202);
    const beyond = await connect(carol, paper);
    expect(beyond.status).toBe(422);
    expect(beyond.body).toMatchObject({
      code: 'CONNECTION_LIMIT_REACHED',
      details: { limit: CONNECTIONS_PER_USER },
    });
  });

  it('creates one connection when the same request arrives twice at once', async () => {
    const dave = await client.signUp();
    const answers = await Promise.all([
      connect(dave, alpacaKeys('GOODDAVE')),
      connect(dave, alpacaKeys('GOODDAVE')),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
    expect((await client.http('GET', '/api/broker-connections', dave.token)).body).toHaveLength(1);
  });

  it('refuses paper accounts the paper broker cannot keep up front, and keeps a euro account in cents', async () => {
    const erin = await client.signUp();
    const virtual = (paperAccounts: object) =>
      connect(erin, { broker: 'virtual', mode: 'paper', paperAccounts });
    const problems = [
      [{ currency: 'JPY' }, 'paperAccounts.currency', /JPY has 0 minor units/],
      [{ currency: 'BHD' }, 'paperAccounts.currency', /BHD has 3 minor units/],
      [{ startingCash: '1000000000.01' }, 'paperAccounts.startingCash', /0.01 to 1000000000.00/],
    ] as const;
    for (const [paperAccounts, field, reason] of problems) {
      const refused = await virtual(paperAccounts);
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ field, reason: expect.stringMatching(reason) }]);
    }

    const euros = await virtual({ currency: 'EUR', startingCash: '250000.50' });
    expect(euros.status).toBe(202);
    expect(await settledStatus(erin, euros.body.connectionId)).toBe('CONNECTED');
    const accounts = (await client.http('GET', '/api/virtual-broker/accounts', erin.token)).body;
    expect(accounts).toEqual([expect.objectContaining({ currency: 'EUR', cash: '250000.50' })]);
  });

  it('refuses market orders with 503 QUOTE_STALE while the quote feed is paused, and fills again once it ticks', async () => {
    const frank = await client.signUp();
    await client.connectVirtual(frank.token);
    const account = await client.paperAccountOf(frank.token);
    const orders = `/api/virtual-broker/accounts/${account}/orders`;
    const market = { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 1 };
    const quotes = async () => (await client.http('GET', '/api/virtual-broker/quotes', frank.token)).body;
    const aapl = async () =>
      (await quotes()).quotes.find((quote: { symbol: string }) => quote.symbol === 'AAPL') as {
        ask: string;
        quotedAt: string;
      };
    const ageOfQuote = async () => Date.now() - Date.parse((await aapl()).quotedAt);
    await eventually(async () => ((await ageOfQuote()) < 1_000 ? true : undefined), 30_000);
    expect((await client.http('POST', orders, frank.token, market)).body.status).toBe('FILLED');

    // The replica holding the ticker lease hangs: nobody ticks, the last quote freezes.
    const leases = await redis.keys('*ticker*');
    expect(leases.length).toBeGreaterThan(0);
    for (const lease of leases) await redis.set(lease, 'a-hung-replica', 'PX', 120_000);
    await eventually(async () => ((await ageOfQuote()) > 1_500 ? true : undefined), 30_000);

    const refused = await client.http('POST', orders, frank.token, market);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'QUOTE_STALE', details: { symbol: 'AAPL' } });
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThan(0);
    expect((await quotes()).stale).toBe(true);
    const limit = await client.http('POST', orders, frank.token, {
      ...market,
      type: 'LIMIT',
      limitPrice: (Number((await aapl()).ask) * 1.5).toFixed(2),
    });
    expect(limit.status).toBe(201);
    expect(limit.body.status).toBe('NEW');

    for (const lease of leases) await redis.del(lease);
    await eventually(async () => ((await ageOfQuote()) < 1_000 ? true : undefined), 30_000);
    expect((await quotes()).stale).toBe(false);
    expect((await client.http('POST', orders, frank.token, market)).body.status).toBe('FILLED');
    await eventually(async () => {
      const order = (await client.http('GET', `${orders}/${limit.body.orderId}`, frank.token)).body;
      return order.status === 'FILLED' ? true : undefined;
    }, 30_000);
  });
});
