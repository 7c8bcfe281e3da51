import { randomBytes } from 'node:crypto';
import { liveDataOf, NOTHING_LIVE } from '../../../test/support/live-user-data';
import { eventually } from './support/orchestrator-kit';
import { useSuiteWithSlowAlpaca } from './support/suite-with-alpaca';

// A deletion erases what the user owns at its owner when it runs, and never leaves the user stuck.
describe('user deletion across every service', () => {
  const suite = useSuiteWithSlowAlpaca(2_000);
  const { call } = suite;

  async function signUp() {
    const email = `leaving-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'correct horse battery staple';
    const registered = await call('user-account', 'POST', '/auth/register', undefined, {
      email,
      password,
      displayName: 'Leaving Soon',
    });
    const logIn = async () => call('user-account', 'POST', '/auth/login', undefined, { email, password });
    return { userId: registered.body.userId as string, token: (await logIn()).body.accessToken, logIn };
  }

  const connect = (token: string, body: object) =>
    call('broker-connection', 'POST', '/broker-connections', token, body);
  const paper = { broker: 'virtual', mode: 'paper', paperAccounts: { count: 1, startingCash: '25000.00' } };
  const slowAlpacaKeys = {
    broker: 'alpaca',
    mode: 'paper',
    credentials: { apiKeyId: 'PK1', apiSecretKey: 's3cret' },
  };

  const deletionOf = (userId: string, statuses: string[], timeoutMs = 60_000) =>
    eventually(async () => {
      const { rows } = await suite.database.query(
        `SELECT id, status, state FROM saga_orchestrator.saga_instance WHERE aggregate_id = $1 AND saga_type = 'UserDeletion'`,
        [userId],
      );
      return rows.find((row) => statuses.includes(row.status));
    }, timeoutMs);

  const liveData = (userId: string) => liveDataOf(suite.sql, userId);

  it('erases a connection requested just before the deletion, and accepts none after it', async () => {
    const { userId, token } = await signUp();
    expect((await connect(token, paper)).status).toBe(202);
    expect((await call('user-account', 'DELETE', '/users/me', token)).status).toBe(202);
    const raced = await connect(token, paper);

    await deletionOf(userId, ['COMPLETED']);
    // A request that raced the deletion is either refused or closed by it: nothing survives.
    expect([202, 401, 403]).toContain(raced.status);
    expect(await liveData(userId)).toEqual(NOTHING_LIVE);
    // The old token is revoked by now; were it not, the owner would refuse the closed user anyway.
    const after = await connect(token, paper);
    expect([after.status, after.body.code]).toEqual([401, 'TOKEN_REVOKED']);
  }, 90_000);

  it('waits for a connection whose broker is slow to verify, then erases it and the user', async () => {
    const { userId, token } = await signUp();
    const { body } = await connect(token, slowAlpacaKeys);
    expect((await call('user-account', 'DELETE', '/users/me', token)).status).toBe(202);

    await deletionOf(userId, ['COMPLETED']);
    expect(await liveData(userId)).toEqual(NOTHING_LIVE);
    const { rows } = await suite.database.query(
      `SELECT status FROM saga_orchestrator.saga_instance WHERE aggregate_id = $1 ORDER BY created_at`,
      [body.connectionId],
    );
    expect(rows.map((row) => row.status)).toEqual(['COMPENSATED', 'COMPLETED']);
  }, 90_000);

  it('asks twice, then reopens the account with a reason when a connection cannot be disconnected; a second deletion succeeds', async () => {
    const { userId, token, logIn } = await signUp();
    const { body } = await connect(token, paper);
    await eventually(async () => {
      const view = await call('broker-connection', 'GET', `/broker-connections/${body.connectionId}`, token);
      return view.body.status === 'CONNECTED' ? true : undefined;
    }, 30_000);
    await suite.processes.kill('virtual-broker', 'SIGTERM');
    expect((await call('user-account', 'DELETE', '/users/me', token)).status).toBe(202);

    const cancelled = await deletionOf(userId, ['COMPENSATED'], 150_000);
    const { rows: children } = await suite.database.query(
      `SELECT status FROM saga_orchestrator.saga_instance WHERE parent_saga_id = $1 ORDER BY created_at`,
      [cancelled.id],
    );
    expect(children.map((child) => child.status)).toEqual(['COMPENSATED', 'COMPENSATED']);
    suite.processes.spawn('virtual-broker');
    const again = await logIn();
    expect(again.status).toBe(200);
    const profile = await call('user-account', 'GET', '/users/me', again.body.accessToken);
    expect(profile.body).toMatchObject({
      status: 'active',
      deletionCancelled: { code: 'USER_DELETION_CANCELLED', message: expect.stringContaining('open again') },
    });
    expect((await connect(again.body.accessToken, paper)).status).toBe(202);

    await suite.processes.ready('virtual-broker');
    expect((await call('user-account', 'DELETE', '/users/me', again.body.accessToken)).status).toBe(202);
    await eventually(async () => {
      const { rows } = await suite.database.query(
        `SELECT 1 FROM saga_orchestrator.saga_instance WHERE aggregate_id = $1 AND status = 'COMPLETED'`,
        [userId],
      );
      return rows.length > 0 ? true : undefined;
    }, 60_000);
    expect(await liveData(userId)).toEqual(NOTHING_LIVE);
  }, 270_000);
});
