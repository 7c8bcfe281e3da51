import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { eventually } from '@tradecore/eventing/testing';
import { asOf, COMMANDS, useBrokerAccountService } from './support/broker-account-kit';

describe('broker-account over HTTP and Kafka: linking accounts for sagas', () => {
  const { service, alice, bob, get, linkCommand, link, ask } = useBrokerAccountService();

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
      service.orchestrator
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
    expect((await request(service.app.getHttpServer()).get('/broker-accounts')).status).toBe(401);
  });

  it('has the effect of a link delivered twice once, and a resent link answers with the same ids', async () => {
    const connectionId = uuidv7();
    const command = linkCommand(connectionId);
    await service.orchestrator.send(COMMANDS, command);
    await service.orchestrator.send(COMMANDS, command);
    const first = await eventually(() => service.orchestrator.repliesTo(command.messageId)[0]);
    const retried = await service.orchestrator.ask(COMMANDS, linkCommand(connectionId));

    expect(service.orchestrator.repliesTo(command.messageId)).toHaveLength(1);
    expect(retried).toMatchObject({ outcome: 'succeeded' });
    expect(retried.outcome === 'succeeded' && retried.result).toEqual(
      first.outcome === 'succeeded' && first.result,
    );
    const [{ n }] = await service.database.dataSource.query(
      `SELECT count(*)::int AS n FROM "${service.database.schema}".events WHERE stream_id = $1 AND type = 'BrokerAccountsLinked'`,
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
    const empty = await service.orchestrator.ask(COMMANDS, linkCommand(connectionId, alice, []));
    expect(empty.outcome === 'failed' && empty.reason.code).toBe('NO_ACCOUNTS_TO_LINK');
    await link(connectionId);
    const stolen = await service.orchestrator.ask(COMMANDS, linkCommand(connectionId, bob));
    expect(stolen.outcome === 'failed' && stolen.reason.code).toBe('BROKER_ACCOUNT_OWNER_MISMATCH');
  });

  it('unlinks accounts for good when a connection saga compensates', async () => {
    const connectionId = uuidv7();
    const [accountId] = await link(connectionId);
    expect(await ask('UnlinkBrokerAccounts', connectionId, {})).toMatchObject({ outcome: 'succeeded' });
    expect((await get(`/broker-accounts/${accountId}`)).status).toBe(404);
    expect(await ask('UnlinkBrokerAccounts', connectionId, {})).toMatchObject({ outcome: 'succeeded' });
  });
});
