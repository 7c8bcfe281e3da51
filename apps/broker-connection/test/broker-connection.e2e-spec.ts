import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { VerifyBrokerCredentialsResult } from '@tradecore/contracts';
import { openValueAs, recipientKey } from '@tradecore/eventing';
import {
  type BrokerConnectionTestApp,
  COMMANDS,
  startBrokerConnectionTestApp,
} from './broker-connection-test-app';
import { eventually } from '@tradecore/eventing/testing';

describe('broker-connection life cycle driven by saga commands over Kafka', () => {
  let t: BrokerConnectionTestApp;
  const alice = uuidv7();

  beforeAll(async () => {
    t = await startBrokerConnectionTestApp();
  });

  afterAll(() => t?.stop());

  it('runs the life cycle from saga commands: verify, connect, disconnect, purge', async () => {
    const connectionId = await t.connect(alice);
    expect(await t.statusOf(connectionId, alice)).toBe('PENDING');

    // As broker-account would: the account details come sealed for its key for the user.
    const brokerAccountKey = recipientKey(randomBytes(32));
    const opened = (value: unknown) => openValueAs(value as string, brokerAccountKey, alice);
    const verified = await t.ask('VerifyBrokerCredentials', connectionId, {
      sealFor: brokerAccountKey.publicKey,
    });
    expect(verified).toMatchObject({ outcome: 'succeeded', commandType: 'VerifyBrokerCredentials' });
    expect(JSON.stringify(verified)).not.toContain('PA3E2E0001');
    const [account] =
      verified.outcome === 'succeeded' ? (verified.result as VerifyBrokerCredentialsResult).accounts : [];
    expect(account).toMatchObject({ currency: 'USD', accountType: 'margin' });
    expect(opened(account.externalAccountId)).toBe('PA3E2E0001');
    expect(await t.statusOf(connectionId, alice)).toBe('CONNECTING');

    const linkedAccountIds = [uuidv7()];
    expect(
      await t.ask('MarkConnectionConnected', connectionId, { linkedAccountIds, virtualAccountIds: [] }),
    ).toMatchObject({
      outcome: 'succeeded',
    });
    expect(await t.statusOf(connectionId, alice)).toBe('CONNECTED');

    const health = await t
      .http()
      .get(`/broker-connections/${connectionId}/health`)
      .set('Authorization', t.tokenOf(alice));
    expect(health.body).toMatchObject({ status: 'CONNECTED', session: 'ok', circuit: 'closed' });
    const refresh = await t
      .http()
      .post(`/broker-connections/${connectionId}/refresh-balances`)
      .set('Authorization', t.tokenOf(alice));
    expect(refresh.status).toBe(202);
    const reported = await eventually(() =>
      t.orchestrator
        .events('broker-connection.events', 'BrokerAccountBalancesReported')
        .find((e) => e.streamId === connectionId),
    );
    expect(JSON.stringify(reported.payload)).not.toContain('PA3E2E0001');
    const [balance] = (reported.payload as { balances: Record<string, unknown>[] }).balances;
    expect(
      ['externalAccountId', 'cash', 'buyingPower', 'equity'].map((field) => opened(balance[field])),
    ).toEqual(['PA3E2E0001', '1000', '2000', '1500']);

    const disconnect = await t
      .http()
      .post(`/broker-connections/${connectionId}/disconnect`)
      .set('Authorization', t.tokenOf(alice));
    expect(disconnect.status).toBe(202);
    const { disconnectionId } = disconnect.body;
    const requested = await eventually(() =>
      t.orchestrator
        .events('broker-connection.events', 'BrokerDisconnectRequested')
        .find((e) => e.streamId === connectionId),
    );
    expect(requested.payload).toMatchObject({
      disconnectionId,
      linkedAccountIds,
      virtualAccountIds: [],
      cause: 'user',
    });

    expect(await t.ask('BeginConnectionPurge', connectionId, { disconnectionId })).toMatchObject({
      outcome: 'succeeded',
    });
    expect(await t.statusOf(connectionId, alice)).toBe('DISCONNECTED');
    expect(await t.ask('PurgeConnection', connectionId, { disconnectionId })).toMatchObject({
      outcome: 'succeeded',
    });

    expect(
      (await t.http().get(`/broker-connections/${connectionId}`).set('Authorization', t.tokenOf(alice)))
        .status,
    ).toBe(404);
    const rows = await t.database.dataSource.query(
      `SELECT 1 FROM "${t.database.schema}".connection_credentials WHERE connection_id = $1`,
      [connectionId],
    );
    expect(rows).toEqual([]);
    await eventually(() =>
      t.orchestrator
        .events('broker-connection.events', 'BrokerConnectionPurged')
        .find((e) => e.streamId === connectionId),
    );
  });

  it('has the effect of a saga command delivered twice once', async () => {
    const connectionId = await t.connect(alice);
    const verify = t.orchestrator.command('VerifyBrokerCredentials', connectionId, { connectionId });
    await t.orchestrator.send(COMMANDS, verify);
    await t.orchestrator.send(COMMANDS, verify);
    await eventually(() => t.orchestrator.repliesTo(verify.messageId)[0]);
    const probe = t.orchestrator.command('MarkConnectionConnected', connectionId, {
      connectionId,
      linkedAccountIds: [],
      virtualAccountIds: [],
    });
    await t.orchestrator.ask(COMMANDS, probe);

    expect(t.orchestrator.repliesTo(verify.messageId)).toHaveLength(1);
    const verifications = await t.database.dataSource.query(
      `SELECT count(*)::int AS n FROM "${t.database.schema}".events WHERE stream_id = $1 AND type = 'BrokerCredentialsVerified'`,
      [connectionId],
    );
    expect(verifications).toEqual([{ n: 1 }]);
  });

  it('answers refused credentials with INVALID_CREDENTIALS, then fails the connection', async () => {
    const connectionId = await t.connect(alice, {
      broker: 'alpaca',
      mode: 'paper',
      credentials: { apiKeyId: t.keyId, apiSecretKey: 'wrong' },
    });
    const reply = await t.ask('VerifyBrokerCredentials', connectionId, {});
    expect(reply.outcome === 'failed' && reply.reason.code).toBe('INVALID_CREDENTIALS');

    const reason = { code: 'INVALID_CREDENTIALS', message: 'refused' };
    expect(await t.ask('MarkConnectionFailed', connectionId, { reason })).toMatchObject({
      outcome: 'succeeded',
    });
    const view = await t
      .http()
      .get(`/broker-connections/${connectionId}`)
      .set('Authorization', t.tokenOf(alice));
    expect(view.body).toMatchObject({ status: 'FAILED', failure: reason });
  });

  it('answers a broker that does not answer with BROKER_TIMEOUT', async () => {
    const connectionId = await t.connect(alice, {
      broker: 'alpaca',
      mode: 'live',
      credentials: { apiKeyId: t.keyId, apiSecretKey: t.secret },
    });
    const reply = await t.ask('VerifyBrokerCredentials', connectionId, {});
    expect(reply.outcome === 'failed' && reply.reason).toMatchObject({
      code: 'BROKER_TIMEOUT',
      transient: true,
    });
  });

  it('refuses the purge of an older disconnection once the user reconnected', async () => {
    const connectionId = await t.connect(alice, {
      broker: 'virtual',
      mode: 'paper',
      paperAccounts: { count: 2 },
    });
    const verified = await t.ask('VerifyBrokerCredentials', connectionId, {});
    const accounts =
      verified.outcome === 'succeeded' && 'accounts' in verified.result ? verified.result.accounts : [];
    expect(accounts).toHaveLength(2);
    expect(accounts[0]).toMatchObject({ startingCash: '100000.00', accountType: 'paper' });
    const virtualAccountIds = accounts.map((account) => account.externalAccountId);
    await t.ask('MarkConnectionConnected', connectionId, { linkedAccountIds: [], virtualAccountIds });
    const { disconnectionId } = (
      await t
        .http()
        .post(`/broker-connections/${connectionId}/disconnect`)
        .set('Authorization', t.tokenOf(alice))
    ).body;
    expect(
      (
        await t
          .http()
          .post(`/broker-connections/${connectionId}/reconnect`)
          .set('Authorization', t.tokenOf(alice))
      ).status,
    ).toBe(200);

    const refused = await t.ask('BeginConnectionPurge', connectionId, { disconnectionId });
    expect(refused.outcome === 'failed' && refused.reason.code).toBe('CONNECTION_RECONNECTED');
    expect(await t.statusOf(connectionId, alice)).toBe('CONNECTED');
  });

  it('closes every connection of a user being deleted, whatever its state, read at the owner', async () => {
    const carol = uuidv7();
    const connected = await t.connect(carol, { broker: 'virtual', mode: 'paper' });
    await t.ask('VerifyBrokerCredentials', connected, {});
    const linkedAccountIds = [uuidv7()];
    await t.ask('MarkConnectionConnected', connected, { linkedAccountIds, virtualAccountIds: [] });
    const stillConnecting = await t.connect(carol, { broker: 'virtual', mode: 'paper' });
    const someoneElses = await t.connect(alice, { broker: 'virtual', mode: 'paper' });

    const parentSagaId = uuidv7();
    const reply = await t.askAbout(carol, 'CloseUserConnections', { userId: carol, parentSagaId });
    const ids = reply.outcome === 'succeeded' && (reply.result as { disconnectionIds: string[] });
    expect(ids && ids.disconnectionIds).toHaveLength(2);

    const requested = await eventually(() => {
      const mine = t.orchestrator
        .events('broker-connection.events', 'BrokerDisconnectRequested')
        .filter((e) => (e.payload as { parentSagaId?: string }).parentSagaId === parentSagaId);
      return mine.length === 2 ? mine : undefined;
    });
    expect(requested.map((e) => e.streamId).sort()).toEqual([connected, stillConnecting].sort());
    expect(requested.find((e) => e.streamId === connected)?.payload).toMatchObject({
      cause: 'user-deletion',
      linkedAccountIds,
    });
    expect(await t.statusOf(stillConnecting, carol)).toBe('DISCONNECTING');
    expect(await t.statusOf(someoneElses, alice)).toBe('PENDING');

    const again = await t.askAbout(carol, 'CloseUserConnections', { userId: carol, parentSagaId });
    expect(again.outcome === 'succeeded' && again.result).toEqual(ids);
  });

  it('accepts no new connection once the deletion closed the user, and again once it is called off', async () => {
    const dave = uuidv7();
    const racing = Array.from({ length: 8 }, () =>
      t.http().post('/broker-connections').set('Authorization', t.tokenOf(dave)).send({
        broker: 'virtual',
        mode: 'paper',
      }),
    );
    const close = t.askAbout(dave, 'CloseUserConnections', { userId: dave, parentSagaId: uuidv7() });
    const [answers, reply] = await Promise.all([Promise.all(racing), close]);
    const accepted = answers.filter((a) => a.status === 202).map((a) => a.body.connectionId as string);
    expect(answers.filter((a) => a.status !== 202).map((a) => [a.status, a.body.code])).toEqual(
      answers.filter((a) => a.status !== 202).map(() => [403, 'ACCOUNT_DELETION_PENDING']),
    );
    // Every connection that got in before the close is closed by it: none is left behind.
    expect(reply.outcome).toBe('succeeded');
    for (const connectionId of accepted) expect(await t.statusOf(connectionId, dave)).toBe('DISCONNECTING');

    const refused = await t.http().post('/broker-connections').set('Authorization', t.tokenOf(dave)).send({
      broker: 'virtual',
      mode: 'paper',
    });
    expect([refused.status, refused.body.code]).toEqual([403, 'ACCOUNT_DELETION_PENDING']);

    await t.askAbout(dave, 'ReopenUserConnections', { userId: dave });
    await t.connect(dave, { broker: 'virtual', mode: 'paper' });
  });

  it('records the broker ending the session when a health check finds the credentials revoked', async () => {
    const connectionId = await t.connect(alice);
    await t.ask('VerifyBrokerCredentials', connectionId, {});
    await t.ask('MarkConnectionConnected', connectionId, { linkedAccountIds: [], virtualAccountIds: [] });
    t.revokedKeys.add(t.keyId);
    try {
      const health = await t
        .http()
        .get(`/broker-connections/${connectionId}/health`)
        .set('Authorization', t.tokenOf(alice));
      expect(health.body).toMatchObject({
        session: 'refused',
        status: 'DISCONNECTING',
        reason: { code: 'INVALID_CREDENTIALS' },
      });
    } finally {
      t.revokedKeys.delete(t.keyId);
    }
    await eventually(() =>
      t.orchestrator
        .events('broker-connection.events', 'BrokerDisconnected')
        .find((e) => e.streamId === connectionId),
    );
  });
});
