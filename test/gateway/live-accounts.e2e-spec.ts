import { isDeepStrictEqual } from 'node:util';
import { ChaosClient, type ChaosUser } from '../chaos/support/chaos-client';
import { ChaosStack, eventually, progress } from '../chaos/support/chaos-stack';

/**
 * Issue 21: broker-account is the live read side of paper accounts. Every compiled app behind the
 * gateway (`npm run build` first), the feed in manual mode so the marks are known. Reads value
 * positions at the latest marks whatever PAPER_REVALUATION_INTERVAL_MS is; it is 0 here so that
 * every tick also stores the revaluation and an equity point, which the history test counts.
 */
describe('broker-account follows paper accounts live (issue 21)', () => {
  let stack: ChaosStack;
  let client: ChaosClient;
  let alice: ChaosUser;
  let connectionId: string;
  let paperAccountId: string;

  beforeAll(async () => {
    stack = await ChaosStack.start({ PAPER_REVALUATION_INTERVAL_MS: '0' });
    client = new ChaosClient(stack);
    alice = await client.signUp();
    connectionId = await client.connectVirtual(alice.token);
    paperAccountId = await client.paperAccountOf(alice.token);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const tick = (ticks = 1) =>
    client.http('POST', '/api/virtual-broker/market/ticks', stack.adminToken(), { ticks });
  const order = (body: object) =>
    client.http('POST', `/api/virtual-broker/accounts/${paperAccountId}/orders`, alice.token, {
      timeInForce: 'GTC',
      ...body,
    });
  const accountView = async (token = alice.token) =>
    (await client.http('GET', `/api/broker-accounts?connectionId=${connectionId}`, token)).body[0];

  /** What the virtual broker says, in broker-account's shape. */
  async function truth() {
    const account = (await client.http('GET', `/api/virtual-broker/accounts/${paperAccountId}`, alice.token))
      .body;
    const positions = (
      await client.http('GET', `/api/virtual-broker/accounts/${paperAccountId}/positions`, alice.token)
    ).body as (Record<string, string> & { quantity: number })[];
    return {
      balance: {
        cash: account.cash,
        buyingPower: account.buyingPower,
        equity: account.equity,
        marketValue: account.marketValue,
        unrealizedPnl: account.unrealizedPnl,
        realizedPnl: account.realizedPnl,
      },
      positions: positions
        .filter((position) => position.quantity > 0)
        .map((position) => positionFields({ ...position, quantity: String(position.quantity) })),
    };
  }

  const POSITION_FIELDS = [
    'symbol',
    'quantity',
    'averagePrice',
    'costBasis',
    'markPrice',
    'marketValue',
    'unrealizedPnl',
    'realizedPnl',
  ];
  const positionFields = (position: Record<string, string>) =>
    Object.fromEntries(POSITION_FIELDS.map((field) => [field, position[field]]));
  const withoutAsOf = ({ asOf: _asOf, ...balance }: { asOf?: string }) => balance;
  const shown = (view: { balance?: { asOf?: string }; positions?: Record<string, string>[] }) => ({
    balance: view.balance && withoutAsOf(view.balance),
    positions: view.positions?.map(positionFields),
  });

  /** Milliseconds until broker-account shows exactly what the virtual broker shows. */
  async function agreement(timeoutMs: number): Promise<number> {
    const started = Date.now();
    const expected = await truth();
    let last: unknown;
    await eventually(async () => {
      last = shown(await accountView());
      return isDeepStrictEqual(last, expected) ? true : undefined;
    }, timeoutMs).catch(() => {
      throw new Error(
        `broker-account shows ${JSON.stringify(last)}, virtual broker ${JSON.stringify(expected)}`,
      );
    });
    return Date.now() - started;
  }

  it('shows the starting cash of a new paper account and refreshing it is answered, not refused', async () => {
    expect((await accountView()).balance).toMatchObject({ cash: '100000.00', equity: '100000.00' });
    const refresh = await client.http(
      'POST',
      `/api/broker-connections/${connectionId}/refresh-balances`,
      alice.token,
    );
    expect(refresh.status).toBe(202);
    expect(refresh.body).toMatchObject({ connectionId, reported: 0, followedLive: true });
  });

  it('after fills, agrees with the virtual broker to the cent within a second: cash, buying power, equity, positions', async () => {
    expect((await tick()).status).toBe(200);
    const bought = await order({ symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 7 });
    expect(bought.status).toBe(201);
    const resting = await order({
      symbol: 'MSFT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 3,
      limitPrice: '1.00',
    });
    expect(resting.status).toBe(201);
    const afterBuy = await agreement(1000);

    const view = await accountView();
    expect(view.positions).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: '7' })]);
    expect(view.balance.buyingPower).not.toBe(view.balance.cash);

    const sold = await order({ symbol: 'AAPL', side: 'SELL', type: 'MARKET', quantity: 2 });
    expect(sold.status).toBe(201);
    const afterSell = await agreement(1000);
    progress(`fill → broker-account agrees: ${afterBuy} ms after a buy, ${afterSell} ms after a sale`);
  });

  it('follows the market: positions are revalued at every tick as the virtual broker values them', async () => {
    const historyOf = async (query = '') =>
      (
        await client.http(
          'GET',
          `/api/broker-accounts/${(await accountView()).accountId}/equity-history${query}`,
          alice.token,
        )
      ).body as { asOf: string; equity: string }[];
    const before = (await historyOf()).length;
    for (let i = 0; i < 3; i += 1) {
      expect((await tick(2)).status).toBe(200);
      await agreement(1000);
    }
    const history = await historyOf();
    const equity = (await accountView()).balance.equity;
    expect(history.length).toBeGreaterThan(before);
    expect(history[0].equity).toBe('100000.00');
    expect(history.at(-1)?.equity).toBe(equity);
    expect(history.map((point) => point.asOf)).toEqual(history.map((point) => point.asOf).sort());
    const [day] = await historyOf('?interval=1d');
    expect(day.equity).toBe(equity);
  });

  it('a cancel and a reset bring buying power and cash back exactly as the virtual broker does', async () => {
    const open = (
      await client.http(
        'GET',
        `/api/virtual-broker/accounts/${paperAccountId}/orders?status=OPEN`,
        alice.token,
      )
    ).body as { orderId: string }[];
    for (const { orderId } of open)
      expect(
        (
          await client.http(
            'POST',
            `/api/virtual-broker/accounts/${paperAccountId}/orders/${orderId}/cancel`,
            alice.token,
          )
        ).status,
      ).toBeLessThan(300);
    await agreement(1000);
    expect(
      (await client.http('POST', `/api/virtual-broker/accounts/${paperAccountId}/reset`, alice.token)).status,
    ).toBeLessThan(300);
    await agreement(1000);
    expect((await accountView()).balance).toMatchObject({ cash: '100000.00', buyingPower: '100000.00' });
    expect((await accountView()).positions).toEqual([]);
  });

  it("never shows one user's paper money to another", async () => {
    const bob = await client.signUp();
    expect((await client.http('GET', '/api/broker-accounts', bob.token)).body).toEqual([]);
    const aliceAccount = (await accountView()).accountId;
    expect((await client.http('GET', `/api/broker-accounts/${aliceAccount}`, bob.token)).status).toBe(404);
  });

  it('sums the portfolio per currency with positions by symbol and the accounts holding them, for the owner only', async () => {
    const secondConnection = await client.connectVirtual(alice.token);
    const paperAccounts = (await client.http('GET', '/api/virtual-broker/accounts', alice.token)).body as {
      accountId: string;
    }[];
    expect(paperAccounts).toHaveLength(2);
    for (const [index, { accountId }] of paperAccounts.entries())
      expect(
        (
          await client.http('POST', `/api/virtual-broker/accounts/${accountId}/orders`, alice.token, {
            symbol: 'AAPL',
            side: 'BUY',
            type: 'MARKET',
            quantity: index + 3,
          })
        ).status,
      ).toBe(201);
    const expected = async () => {
      const views = await Promise.all(
        paperAccounts.map(
          async ({ accountId }) =>
            (await client.http('GET', `/api/virtual-broker/accounts/${accountId}`, alice.token)).body,
        ),
      );
      const cents = (field: string) =>
        views.reduce((sum, view) => sum + Math.round(Number(view[field]) * 100), 0);
      return { cash: cents('cash'), buyingPower: cents('buyingPower'), equity: cents('equity') };
    };
    const want = await expected();
    const portfolio = await eventually(async () => {
      const body = (await client.http('GET', '/api/portfolio', alice.token)).body;
      const usd = body.currencies?.[0];
      const got = usd && {
        cash: Math.round(Number(usd.cash) * 100),
        buyingPower: Math.round(Number(usd.buyingPower) * 100),
        equity: Math.round(Number(usd.equity) * 100),
      };
      return isDeepStrictEqual(got, want) && usd.positions[0]?.quantity === '7' ? body : undefined;
    }, 5000);
    expect(portfolio.currencies).toHaveLength(1);
    const [usd] = portfolio.currencies;
    expect(usd.currency).toBe('USD');
    expect(usd.accounts.map((account: { connectionId: string }) => account.connectionId).sort()).toEqual(
      [connectionId, secondConnection].sort(),
    );
    expect(usd.positions).toEqual([
      expect.objectContaining({
        symbol: 'AAPL',
        quantity: '7',
        accounts: expect.arrayContaining([
          expect.objectContaining({ quantity: '3' }),
          expect.objectContaining({ quantity: '4' }),
        ]),
      }),
    ]);

    const docs = (await client.http('GET', '/docs-json')).body;
    expect(docs.paths['/api/portfolio']?.get).toBeDefined();
    expect(
      docs.paths['/api/broker-accounts/{id}/equity-history'].get.parameters.map(
        (parameter: { name: string }) => parameter.name,
      ),
    ).toEqual(expect.arrayContaining(['from', 'to', 'interval', 'limit']));

    const bob = await client.signUp();
    expect((await client.http('GET', '/api/portfolio', bob.token)).body).toEqual({ currencies: [] });
    expect((await client.http('GET', '/api/portfolio')).status).toBe(401);
  });
});
