import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlpacaAdapter } from './alpaca.adapter';
import { BrokerResilience } from './broker-resilience';
import { refreshOnEveryCall, TradeStationAdapter } from './tradestation.adapter';
import { TradeStationTokenEndpoint } from './tradestation-token-endpoint';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A stand-in for the brokers' REST APIs, serving their documented response shapes. */
async function standIn(
  routes: Record<string, Route>,
): Promise<{ url: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const key = `${req.method} ${req.url}`;
      hits.push(key);
      const route = routes[key];
      if (route) route(req, res, body);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits };
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
const hang: Route = () => undefined;

const resilience = () =>
  new BrokerResilience({ timeoutMs: 200, retries: 1, circuitFailures: 3, halfOpenAfterMs: 60_000 });

const alpacaAccount = {
  id: '904837e3-3b76-47ec-b432-046db621571b',
  account_number: 'PA3ALPACA01',
  status: 'ACTIVE',
  currency: 'USD',
  cash: '100000',
  buying_power: '400000',
  equity: '100000',
  portfolio_value: '100000',
  multiplier: '4',
};

describe('AlpacaAdapter against a stand-in', () => {
  let api: Awaited<ReturnType<typeof standIn>>;
  const keys = { broker: 'alpaca' as const, apiKeyId: 'PKTEST', apiSecretKey: 'secret-123' };

  beforeAll(async () => {
    api = await standIn({
      'GET /v2/account': (req, res) =>
        req.headers['apca-api-key-id'] === 'PKTEST' && req.headers['apca-api-secret-key'] === 'secret-123'
          ? json(res, 200, alpacaAccount)
          : json(res, 401, { code: 40110000, message: 'request is not authorized' }),
      'GET /slow/v2/account': hang,
      'GET /limited/v2/account': (_req, res) => json(res, 429, { message: 'too many requests' }),
      'GET /broken/v2/account': (_req, res) => json(res, 503, { message: 'service unavailable' }),
    });
  });
  afterAll(() => api.server.closeAllConnections() ?? api.server.close());

  const adapter = (paper = api.url, policies = resilience()) =>
    new AlpacaAdapter({ paper, live: `${api.url}/live` }, policies);

  it('discovers the account with its balances on the paper URL', async () => {
    const accounts = await adapter().discoverAccounts({
      connectionId: 'c-1',
      mode: 'paper',
      credentials: keys,
    });
    expect(accounts).toEqual([
      {
        externalAccountId: 'PA3ALPACA01',
        displayName: 'Alpaca paper PA3ALPACA01',
        currency: 'USD',
        accountType: 'margin',
        balance: { cash: '100000', buyingPower: '400000', equity: '100000', asOf: expect.any(String) },
      },
    ]);
  });

  it('reports refused keys as INVALID_CREDENTIALS without retrying', async () => {
    const before = api.hits.length;
    await expect(
      adapter().discoverAccounts({
        connectionId: 'c-1',
        mode: 'paper',
        credentials: { ...keys, apiSecretKey: 'wrong' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(api.hits.length - before).toBe(1);
  });

  it('reports a broker that does not answer as BROKER_TIMEOUT', async () => {
    await expect(
      adapter(`${api.url}/slow`).discoverAccounts({ connectionId: 'c-1', mode: 'paper', credentials: keys }),
    ).rejects.toMatchObject({ code: 'BROKER_TIMEOUT' });
  });

  it('opens the circuit after repeated timeouts and then fails fast', async () => {
    const policies = resilience();
    const slow = adapter(`${api.url}/slow`, policies);
    for (let i = 0; i < 2; i += 1)
      await slow
        .discoverAccounts({ connectionId: 'c-1', mode: 'paper', credentials: keys })
        .catch(() => undefined);
    expect(policies.states()).toEqual({ 'alpaca:paper': 'open' });
    const started = Date.now();
    await expect(
      slow.discoverAccounts({ connectionId: 'c-1', mode: 'paper', credentials: keys }),
    ).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    expect(Date.now() - started).toBeLessThan(150);
  });

  const callMany = async (times: number, call: () => Promise<unknown>) => {
    for (let i = 0; i < times; i += 1) await call().catch(() => undefined);
  };

  it("never counts the caller's own errors against the breaker everyone shares", async () => {
    const policies = resilience();
    const shared = adapter(api.url, policies);
    const discover = (credentials: typeof keys, paper = shared) =>
      paper.discoverAccounts({ connectionId: 'c-1', mode: 'paper', credentials });

    await expect(discover({ ...keys, apiKeyId: 'PK\r\nX-Injected: 1' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: expect.stringContaining('cannot carry'),
    });
    await callMany(5, () => discover({ ...keys, apiKeyId: 'PK\nTEST' }));
    await callMany(5, () => discover({ ...keys, apiSecretKey: 'wrong' }));
    await callMany(5, () => discover(keys, adapter(`${api.url}/limited`, policies)));

    expect(policies.states()).toEqual({ 'alpaca:paper': 'closed' });
    await expect(discover(keys)).resolves.toHaveLength(1);
  });

  it('keeps one breaker per endpoint: a failing paper API leaves live calls alone', async () => {
    const policies = resilience();
    const broken = new AlpacaAdapter({ paper: `${api.url}/broken`, live: api.url }, policies);
    await callMany(3, () =>
      broken.discoverAccounts({ connectionId: 'c-1', mode: 'paper', credentials: keys }),
    );

    expect(policies.states()).toEqual({ 'alpaca:paper': 'open' });
    await expect(
      broken.discoverAccounts({ connectionId: 'c-1', mode: 'live', credentials: keys }),
    ).resolves.toHaveLength(1);
    expect(policies.stateOf('alpaca')).toBe('open');
    expect(policies.stateOf('alpaca', ['live'])).toBe('closed');
  });
});

describe('TradeStationAdapter against a stand-in', () => {
  let api: Awaited<ReturnType<typeof standIn>>;
  const credentials = {
    broker: 'tradestation' as const,
    clientId: 'cid',
    clientSecret: 'csecret',
    refreshToken: 'rt-good',
  };

  beforeAll(async () => {
    api = await standIn({
      'POST /oauth/token': (_req, res, body) => {
        const form = new URLSearchParams(body);
        return form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'rt-good'
          ? json(res, 200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 1200 })
          : json(res, 400, {
              error: 'invalid_grant',
              error_description: 'Unknown or invalid refresh token.',
            });
      },
      'GET /v3/brokerage/accounts': (req, res) =>
        req.headers.authorization === 'Bearer at-1'
          ? json(res, 200, {
              Accounts: [
                { AccountID: '11827711', Currency: 'USD', Status: 'Active', AccountType: 'Margin' },
                { AccountID: '11827712', Currency: 'USD', Status: 'Active', AccountType: 'Cash' },
              ],
            })
          : json(res, 401, { Error: 'Unauthorized' }),
      'GET /v3/brokerage/accounts/11827711,11827712/balances': (_req, res) =>
        json(res, 200, {
          Balances: [
            {
              AccountID: '11827711',
              AccountType: 'Margin',
              CashBalance: '5000.5',
              BuyingPower: '20000',
              Equity: '7000',
              MarketValue: '2000',
            },
            {
              AccountID: '11827712',
              AccountType: 'Cash',
              CashBalance: '100',
              BuyingPower: '100',
              Equity: '100',
              MarketValue: '0',
            },
          ],
          Errors: [],
        }),
      'POST /slow/oauth/token': hang,
    });
  });
  afterAll(() => api.server.closeAllConnections() ?? api.server.close());

  const adapter = (tokenUrl = `${api.url}/oauth/token`) => {
    const policies = resilience();
    const tokens = refreshOnEveryCall(new TradeStationTokenEndpoint(tokenUrl, policies));
    return new TradeStationAdapter({ paper: api.url, live: `${api.url}/live` }, policies, tokens);
  };

  it('refreshes a token, then lists the accounts with their balances', async () => {
    const accounts = await adapter().discoverAccounts({ connectionId: 'c-1', mode: 'paper', credentials });
    expect(accounts).toEqual([
      expect.objectContaining({
        externalAccountId: '11827711',
        accountType: 'margin',
        currency: 'USD',
        balance: { cash: '5000.5', buyingPower: '20000', equity: '7000', asOf: expect.any(String) },
      }),
      expect.objectContaining({ externalAccountId: '11827712', accountType: 'cash' }),
    ]);
  });

  it('reports a refused refresh token as INVALID_CREDENTIALS', async () => {
    await expect(
      adapter().discoverAccounts({
        connectionId: 'c-1',
        mode: 'paper',
        credentials: { ...credentials, refreshToken: 'revoked' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('reports a token endpoint that does not answer as BROKER_TIMEOUT', async () => {
    await expect(
      adapter(`${api.url}/slow/oauth/token`).discoverAccounts({
        connectionId: 'c-1',
        mode: 'paper',
        credentials,
      }),
    ).rejects.toMatchObject({ code: 'BROKER_TIMEOUT' });
  });
});
