import { v7 as uuidv7 } from 'uuid';
import { eventually } from '@tradecore/eventing/testing';
import { asOf, COMMANDS, PAPER_EVENTS, useBrokerAccountService } from './support/broker-account-kit';

describe('broker-account over HTTP and Kafka: balances, paper accounts and portfolio', () => {
  const { service, alice, bob, get, linkCommand, link, ask, publishConnectionEvent } =
    useBrokerAccountService();

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
      service.orchestrator.send(PAPER_EVENTS, {
        ...service.orchestrator.command(type, key, payload),
        sagaId: undefined,
      });
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
    const [{ n }] = await service.database.dataSource.query(
      `SELECT (SELECT count(*) FROM "${service.database.schema}".paper_ledgers WHERE virtual_account_id = $1)
            + (SELECT count(*) FROM "${service.database.schema}".paper_equity_history WHERE virtual_account_id = $1) AS n`,
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
      const reply = await service.orchestrator.ask(COMMANDS, linkCommand(connectionId, carol, [...accounts]));
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
