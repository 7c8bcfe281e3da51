import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { type DevBrokerHandle, startDevBroker } from '@tradecore/dev-broker';
import { createTestSchema, type TestSchema } from '@tradecore/eventing/testing';
import { BrokerAccountModule } from '../src/broker-account.module';
import { eventually, FakeOrchestrator } from '@tradecore/eventing/testing';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const COMMANDS = 'broker-account.commands';
const CONNECTION_EVENTS = 'broker-connection.events';
const PAPER_EVENTS = 'virtual-broker.events';
const asOf = '2026-01-05T10:00:00.000Z';

describe('broker-account over HTTP and Kafka', () => {
  let broker: DevBrokerHandle;
  let database: TestSchema;
  let app: INestApplication;
  let orchestrator: FakeOrchestrator;
  const keys = createTestKeyPair();
  const alice = uuidv7();
  const bob = uuidv7();
  const tokenOf = (userId: string) => `Bearer ${signTestToken(keys.privateKeyPem, { userId })}`;
  const get = (path: string, userId = alice) =>
    request(app.getHttpServer()).get(path).set('Authorization', tokenOf(userId));

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, logger: silent });
    database = await createTestSchema('broker_account_e2e');
    Object.assign(process.env, {
      DATABASE_URL: database.databaseUrl,
      KAFKA_BROKERS: broker.brokers.join(','),
      LOG_LEVEL: 'silent',
      AUTH_PUBLIC_KEY: keys.publicKeyPem,
    });
    orchestrator = new FakeOrchestrator(broker.brokers);
    await orchestrator.start([
      'saga.replies',
      'broker-account.events',
      CONNECTION_EVENTS,
      COMMANDS,
      'user-account.events',
      PAPER_EVENTS,
      'broker-orders.events',
      'saga-orchestrator.events',
      'automation.events',
    ]);
    const moduleRef = await Test.createTestingModule({
      imports: [BrokerAccountModule.forRoot(database.schema)],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
    await eventually(
      async () =>
        (await request(app.getHttpServer()).get('/health/ready')).status === 200 ? true : undefined,
      30_000,
    );
  });

  afterAll(async () => {
    await app?.close();
    await orchestrator?.stop();
    await database?.drop();
    await broker?.stop();
  });

  const linkCommand = (connectionId: string, userId = alice, accounts?: object[]) =>
    orchestrator.command('LinkBrokerAccounts', connectionId, {
      connectionId,
      userId,
      broker: 'alpaca',
      mode: 'paper',
      accounts: accounts ?? [
        {
          externalAccountId: 'PA-1',
          displayName: 'Alpaca paper PA-1',
          currency: 'USD',
          accountType: 'margin',
          balance: { cash: '1000', buyingPower: '2000', equity: '1500', asOf },
        },
        { externalAccountId: 'PA-2', displayName: 'Alpaca paper PA-2', currency: 'EUR', accountType: 'cash' },
      ],
    });
  const link = async (connectionId: string, accounts?: object[]) => {
    const reply = await orchestrator.ask(COMMANDS, linkCommand(connectionId, alice, accounts));
    expect(reply).toMatchObject({ outcome: 'succeeded', commandType: 'LinkBrokerAccounts' });
    return reply.outcome === 'succeeded' && 'linkedAccountIds' in reply.result
      ? [...reply.result.linkedAccountIds]
      : [];
  };
  const ask = (type: string, connectionId: string, payload: object) =>
    orchestrator.ask(COMMANDS, orchestrator.command(type, connectionId, { connectionId, ...payload }));
  const publishConnectionEvent = (type: string, connectionId: string, payload: object, schemaVersion = 1) =>
    orchestrator.send(CONNECTION_EVENTS, {
      ...orchestrator.command(type, connectionId, { connectionId, userId: alice, ...payload }),
      sagaId: undefined,
      schemaVersion,
    });

  it('links the accounts a saga sends and shows them, with balances, to their owner', async () => {
    const connectionId = uuidv7();
    const ids = await link(connectionId);
    expect(ids).toHaveLength(2);

    const mine = await get(`/broker-accounts?connectionId=${connectionId}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([
      expect.objectContaining({
        accountId: ids[0],
        accountNumber: 'PA-1',
        accountType: 'margin',
        currency: 'USD',
        status: 'ACTIVE',
        balance: { cash: '1000', buyingPower: '2000', equity: '1500', asOf },
      }),
      expect.objectContaining({ accountId: ids[1], accountNumber: 'PA-2', currency: 'EUR' }),
    ]);
    expect((await get(`/broker-accounts/${ids[0]}/equity-history`)).body).toEqual([
      { asOf, equity: '1500', cash: '1000', buyingPower: '2000' },
    ]);
    const linked = await eventually(() =>
      orchestrator
        .events('broker-account.events', 'BrokerAccountsLinked')
        .find((e) => e.streamId === connectionId),
    );
    expect(linked.payload).toMatchObject({
      connectionId,
      userId: alice,
      accounts: [{ accountId: ids[0] }, { accountId: ids[1] }],
    });
    // Account numbers and names leave sealed with the user's key (docs/privacy.md).
    expect(JSON.stringify(linked.payload)).not.toMatch(/PA-1|PA-2/);
  });

  it('denies other users: 404 for the account and its history, nothing in their list', async () => {
    const connectionId = uuidv7();
    const [accountId] = await link(connectionId);
    expect((await get(`/broker-accounts/${accountId}`, bob)).status).toBe(404);
    expect((await get(`/broker-accounts/${accountId}/equity-history`, bob)).status).toBe(404);
    expect((await get('/broker-accounts', bob)).body).toEqual([]);
    expect((await request(app.getHttpServer()).get('/broker-accounts')).status).toBe(401);
  });

  it('has the effect of a link delivered twice once, and a resent link answers with the same ids', async () => {
    const connectionId = uuidv7();
    const command = linkCommand(connectionId);
    await orchestrator.send(COMMANDS, command);
    await orchestrator.send(COMMANDS, command);
    const first = await eventually(() => orchestrator.repliesTo(command.messageId)[0]);
    const retried = await orchestrator.ask(COMMANDS, linkCommand(connectionId));

    expect(orchestrator.repliesTo(command.messageId)).toHaveLength(1);
    expect(retried).toMatchObject({ outcome: 'succeeded' });
    expect(retried.outcome === 'succeeded' && retried.result).toEqual(
      first.outcome === 'succeeded' && first.result,
    );
    const [{ n }] = await database.dataSource.query(
      `SELECT count(*)::int AS n FROM "${database.schema}".events WHERE stream_id = $1 AND type = 'BrokerAccountsLinked'`,
      [connectionId],
    );
    expect(n).toBe(1);
  });

  it('deletes and restores accounts for the disconnection saga and its compensation', async () => {
    const connectionId = uuidv7();
    const ids = await link(connectionId);
    expect(await ask('DeleteBrokerAccounts', connectionId, {})).toMatchObject({ outcome: 'succeeded' });
    expect((await get(`/broker-accounts?connectionId=${connectionId}`)).body).toEqual([]);
    expect((await get(`/broker-accounts?connectionId=${connectionId}&includeDeleted=true`)).body).toEqual([
      expect.objectContaining({ status: 'DELETED' }),
      expect.objectContaining({ status: 'DELETED' }),
    ]);

    expect(await ask('RestoreBrokerAccounts', connectionId, { accountIds: ids })).toMatchObject({
      outcome: 'succeeded',
    });
    expect((await get(`/broker-accounts?connectionId=${connectionId}`)).body).toHaveLength(2);
  });

  it('answers refused commands with their reason codes', async () => {
    const connectionId = uuidv7();
    const unknown = await ask('RestoreBrokerAccounts', connectionId, { accountIds: [uuidv7()] });
    expect(unknown.outcome === 'failed' && unknown.reason.code).toBe('BROKER_ACCOUNT_NOT_FOUND');
    const empty = await orchestrator.ask(COMMANDS, linkCommand(connectionId, alice, []));
    expect(empty.outcome === 'failed' && empty.reason.code).toBe('NO_ACCOUNTS_TO_LINK');
    await link(connectionId);
    const stolen = await orchestrator.ask(COMMANDS, linkCommand(connectionId, bob));
    expect(stolen.outcome === 'failed' && stolen.reason.code).toBe('BROKER_ACCOUNT_OWNER_MISMATCH');
  });

  it('unlinks accounts for good when a connection saga compensates', async () => {
    const connectionId = uuidv7();
    const [accountId] = await link(connectionId);
    expect(await ask('UnlinkBrokerAccounts', connectionId, {})).toMatchObject({ outcome: 'succeeded' });
    expect((await get(`/broker-accounts/${accountId}`)).status).toBe(404);
    expect(await ask('UnlinkBrokerAccounts', connectionId, {})).toMatchObject({ outcome: 'succeeded' });
  });

  it('adds reported balances (a v1 report, read as USD) to the equity history and erases everything once the connection is purged', async () => {
    const connectionId = uuidv7();
    const [accountId] = await link(connectionId);
    const later = '2026-01-06T10:00:00.000Z';
    await publishConnectionEvent('BrokerAccountBalancesReported', connectionId, {
      balances: [
        { externalAccountId: 'PA-1', cash: '900', buyingPower: '1800', equity: '1600', asOf: later },
      ],
      reportedAt: later,
    });
    const history = await eventually(async () => {
      const points = (await get(`/broker-accounts/${accountId}/equity-history`)).body;
      return points.length === 2 ? points : undefined;
    });
    expect(history.map((point: { equity: string }) => point.equity)).toEqual(['1500', '1600']);
    expect((await get(`/broker-accounts/${accountId}/equity-history?interval=1w`)).body).toEqual([
      { asOf: '2026-01-03T00:00:00.000Z', equity: '1600', cash: '900', buyingPower: '1800' },
    ]);
    expect(
      (await get(`/broker-accounts/${accountId}/equity-history?interval=1d&from=${later}`)).body,
    ).toEqual([{ asOf: '2026-01-06T00:00:00.000Z', equity: '1600', cash: '900', buyingPower: '1800' }]);
    const badInterval = await get(`/broker-accounts/${accountId}/equity-history?interval=1y`);
    expect(badInterval.status).toBe(400);
    expect(badInterval.body.details).toEqual([expect.objectContaining({ field: 'interval' })]);
    const backwards = await get(`/broker-accounts/${accountId}/equity-history?from=${later}&to=${asOf}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.details).toEqual([expect.objectContaining({ field: 'from' })]);
    expect((await get(`/broker-accounts/${accountId}`)).body.balance).toMatchObject({
      equity: '1600',
      asOf: later,
    });

    await publishConnectionEvent('BrokerConnectionPurged', connectionId, { purgedAt: later });
    await eventually(async () =>
      (await get(`/broker-accounts/${accountId}`)).status === 404 ? true : undefined,
    );
    const refused = await ask('RestoreBrokerAccounts', connectionId, { accountIds: [accountId] });
    expect(refused.outcome === 'failed' && refused.reason.code).toBe('BROKER_ACCOUNTS_PURGED');
  });

  it('follows a paper account from virtual-broker events in any order across keys, and erases it with the connection', async () => {
    const connectionId = uuidv7();
    const virtualAccountId = uuidv7();
    const markedAt = new Date(Date.now() + 1000).toISOString();
    const publishPaperEvent = (type: string, key: string, payload: object) =>
      orchestrator.send(PAPER_EVENTS, { ...orchestrator.command(type, key, payload), sagaId: undefined });
    const fill = { orderId: uuidv7(), virtualAccountId, symbol: 'AAPL', side: 'buy', quantity: '10' };
    // The order overtakes the provisioning (another key, another partition): it waits for the starting cash.
    await publishPaperEvent('OrderPlaced', virtualAccountId, {
      ...fill,
      kind: 'limit',
      timeInForce: 'day',
      limitPrice: '101.00',
      reservedCash: '1010.00',
      placedAt: asOf,
    });
    await publishPaperEvent('OrderFilled', virtualAccountId, {
      ...fill,
      price: '100.00',
      filledQuantity: '10',
      remainingQuantity: '0',
      realizedPnl: '0.00',
      releasedCash: '1010.00',
      filledAt: asOf,
    });
    await publishPaperEvent('VirtualAccountsProvisioned', connectionId, {
      connectionId,
      userId: alice,
      accounts: [{ virtualAccountId, currency: 'USD', startingCash: '5000.00' }],
      provisionedAt: asOf,
    });
    const [accountId] = await link(connectionId, [
      {
        externalAccountId: virtualAccountId,
        displayName: 'Paper account 1',
        currency: 'USD',
        accountType: 'paper',
        virtualAccountId,
        startingCash: '5000.00',
      },
    ]);
    await publishPaperEvent('MarketMarked', 'market', {
      tick: 1,
      marks: [{ symbol: 'AAPL', bid: '104.99', ask: '105.00' }],
      markedAt,
    });
    const view = await eventually(async () => {
      const body = (await get(`/broker-accounts/${accountId}`)).body;
      return body.positions?.[0]?.markPrice === '104.995' ? body : undefined;
    });
    expect(view.balance).toMatchObject({
      cash: '4000.00',
      buyingPower: '4000.00',
      equity: '5049.95',
      marketValue: '1049.95',
      unrealizedPnl: '49.95',
    });
    expect(view.positions).toEqual([
      expect.objectContaining({
        symbol: 'AAPL',
        quantity: '10',
        costBasis: '1000.00',
        marketValue: '1049.95',
      }),
    ]);
    const history = (await get(`/broker-accounts/${accountId}/equity-history`)).body;
    expect(history[0]).toMatchObject({ equity: '5000.00' });
    expect(history.at(-1)).toMatchObject({ equity: '5049.95', asOf: markedAt });

    await publishConnectionEvent('BrokerConnectionPurged', connectionId, { purgedAt: asOf });
    await eventually(async () =>
      (await get(`/broker-accounts/${accountId}`)).status === 404 ? true : undefined,
    );
    const [{ n }] = await database.dataSource.query(
      `SELECT (SELECT count(*) FROM "${database.schema}".paper_ledgers WHERE virtual_account_id = $1)
            + (SELECT count(*) FROM "${database.schema}".paper_equity_history WHERE virtual_account_id = $1) AS n`,
      [virtualAccountId],
    );
    expect(Number(n)).toBe(0);
  });

  it("sums a user's accounts per currency in the portfolio, to the cent, and shows it to nobody else", async () => {
    const carol = uuidv7();
    const balance = (cash: string) => ({ cash, buyingPower: cash, equity: cash, asOf });
    for (const [connectionId, accounts] of [
      [
        uuidv7(),
        [
          { externalAccountId: 'C-1', displayName: 'One', currency: 'USD', balance: balance('1000.10') },
          { externalAccountId: 'C-2', displayName: 'Two', currency: 'EUR', balance: balance('50') },
        ],
      ],
      [
        uuidv7(),
        [{ externalAccountId: 'C-3', displayName: 'Three', currency: 'USD', balance: balance('0.25') }],
      ],
    ] as const) {
      const reply = await orchestrator.ask(COMMANDS, linkCommand(connectionId, carol, [...accounts]));
      expect(reply).toMatchObject({ outcome: 'succeeded' });
    }
    const portfolio = (await get('/portfolio', carol)).body;
    expect(portfolio.currencies.map((total: object) => ({ ...total, accounts: undefined }))).toEqual([
      { currency: 'EUR', cash: '50', buyingPower: '50', equity: '50', positions: [] },
      { currency: 'USD', cash: '1000.35', buyingPower: '1000.35', equity: '1000.35', positions: [] },
    ]);
    expect(
      portfolio.currencies[1].accounts.map((account: { displayName: string }) => account.displayName),
    ).toEqual(['One', 'Three']);
    expect((await get('/portfolio', bob)).body).toEqual({ currencies: [] });
  });

  it('reads v2 reports by their currency: one in another currency than the account’s changes nothing', async () => {
    const connectionId = uuidv7();
    const [usdAccount, eurAccount] = await link(connectionId);
    const later = '2026-01-07T10:00:00.000Z';
    const balance = { cash: '1', buyingPower: '2', equity: '3', asOf: later };
    await publishConnectionEvent(
      'BrokerAccountBalancesReported',
      connectionId,
      {
        balances: [
          { externalAccountId: 'PA-1', currency: 'EUR', ...balance },
          { externalAccountId: 'PA-2', currency: 'EUR', ...balance },
        ],
        reportedAt: later,
      },
      2,
    );
    await eventually(async () =>
      (await get(`/broker-accounts/${eurAccount}`)).body.balance?.asOf === later ? true : undefined,
    );
    expect((await get(`/broker-accounts/${usdAccount}`)).body.balance.asOf).toBe(asOf);
  });
});
