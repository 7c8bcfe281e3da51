import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { eventually } from './support/orchestrator-kit';
import { buildSuite, type SuiteApp, SuiteProcesses } from './support/suite-processes';

// The services as users run them: compiled, one process each.
describe('sagas end to end across every service', () => {
  let suite: SuiteProcesses;

  beforeAll(async () => {
    buildSuite();
    suite = await SuiteProcesses.start();
  }, 120_000);

  afterAll(async () => {
    await suite?.stop();
  }, 30_000);

  const call = (app: SuiteApp, method: string, path: string, token?: string, body?: unknown) =>
    suite.call(app, method, path, token, body);

  async function signUp(): Promise<{ token: string; userId: string }> {
    const email = `saga-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'correct horse battery staple';
    const registered = await call('user-account', 'POST', '/auth/register', undefined, {
      email,
      password,
      displayName: 'Saga Tester',
    });
    expect(registered.status).toBe(201);
    const login = await call('user-account', 'POST', '/auth/login', undefined, { email, password });
    return { token: login.body.accessToken, userId: registered.body.userId };
  }

  async function connectVirtual(token: string, accounts = 1): Promise<string> {
    const requested = await call('broker-connection', 'POST', '/broker-connections', token, {
      broker: 'virtual',
      mode: 'paper',
      paperAccounts: { count: accounts, startingCash: '25000.00' },
    });
    expect(requested.status).toBeLessThan(300);
    return requested.body.connectionId;
  }

  const connectionStatus = async (token: string, id: string) =>
    (await call('broker-connection', 'GET', `/broker-connections/${id}`, token)).body?.status;

  const statusBecomes = (token: string, id: string, status: string) =>
    eventually(async () => ((await connectionStatus(token, id)) === status ? true : undefined), 30_000);

  const sagasOf = async (aggregateId: string) =>
    (await call('saga-orchestrator', 'GET', `/ops/sagas?aggregateId=${aggregateId}`, suite.adminToken())).body
      .sagas;

  it('connects a virtual broker over HTTP: CONNECTED, accounts in broker-account and virtual-broker', async () => {
    const { token } = await signUp();
    const connectionId = await connectVirtual(token);

    await statusBecomes(token, connectionId, 'CONNECTED');
    const linked = (await call('broker-account', 'GET', '/broker-accounts', token)).body;
    const paper = (await call('virtual-broker', 'GET', '/accounts', token)).body;
    expect(JSON.stringify(linked)).toContain(connectionId);
    expect(JSON.stringify(paper)).toContain('25000');
    expect(await sagasOf(connectionId)).toEqual([
      expect.objectContaining({ type: 'BrokerConnection', status: 'COMPLETED' }),
    ]);
  });

  it('disconnects: every linked and paper account is deleted and the connection purged', async () => {
    const { token } = await signUp();
    const connectionId = await connectVirtual(token);
    await statusBecomes(token, connectionId, 'CONNECTED');

    expect(
      (await call('broker-connection', 'POST', `/broker-connections/${connectionId}/disconnect`, token))
        .status,
    ).toBeLessThan(300);
    await eventually(async () => {
      const sagas = await sagasOf(connectionId);
      return sagas.some(
        (saga: { type: string; status: string }) =>
          saga.type === 'BrokerDisconnection' && saga.status === 'COMPLETED',
      )
        ? true
        : undefined;
    }, 30_000);
    expect(
      JSON.stringify((await call('broker-account', 'GET', '/broker-accounts', token)).body),
    ).not.toContain(connectionId);
    expect(JSON.stringify((await call('virtual-broker', 'GET', '/accounts', token)).body)).not.toContain(
      '25000',
    );
  });

  it('deletes a user with two connections through two child disconnection sagas', async () => {
    const { token, userId } = await signUp();
    const connections = [await connectVirtual(token), await connectVirtual(token)];
    for (const id of connections) await statusBecomes(token, id, 'CONNECTED');

    expect((await call('user-account', 'DELETE', '/users/me', token)).status).toBeLessThan(300);
    const deletion = await eventually(async () => {
      const [saga] = await sagasOf(userId);
      return saga?.status === 'COMPLETED' ? saga : undefined;
    }, 45_000);
    const detail = (await call('saga-orchestrator', 'GET', `/ops/sagas/${deletion.id}`, suite.adminToken()))
      .body;
    expect(detail.children).toHaveLength(2);
    expect(detail.children.every((child: { status: string }) => child.status === 'COMPLETED')).toBe(true);
    expect((await call('user-account', 'GET', '/users/me', token)).status).toBeGreaterThanOrEqual(400);
  });

  it('aborts the purge with data intact when the connection is reconnected before the purge began', async () => {
    const { token } = await signUp();
    const connectionId = await connectVirtual(token);
    await statusBecomes(token, connectionId, 'CONNECTED');
    const accountsBefore = (await call('broker-account', 'GET', '/broker-accounts', token)).body;

    await suite.kill('saga-orchestrator', 'SIGTERM');
    expect(
      (await call('broker-connection', 'POST', `/broker-connections/${connectionId}/disconnect`, token))
        .status,
    ).toBeLessThan(300);
    expect(
      (await call('broker-connection', 'POST', `/broker-connections/${connectionId}/reconnect`, token))
        .status,
    ).toBe(200);
    suite.spawn('saga-orchestrator');
    await suite.ready('saga-orchestrator');

    const aborted = await eventually(async () => {
      const sagas = await sagasOf(connectionId);
      return sagas.find(
        (saga: { type: string; status: string }) =>
          saga.type === 'BrokerDisconnection' && saga.status === 'ABORTED',
      );
    }, 30_000);
    expect(aborted.failure).toMatchObject({ code: 'CONNECTION_RECONNECTED' });
    expect(await connectionStatus(token, connectionId)).toBe('CONNECTED');
    expect((await call('broker-account', 'GET', '/broker-accounts', token)).body).toEqual(accountsBefore);
    expect(JSON.stringify((await call('virtual-broker', 'GET', '/accounts', token)).body)).toContain('25000');
  }, 60_000);

  const sagaRow = async (aggregateId: string) => {
    const database = new Client({ connectionString: suite.databaseUrl });
    database.on('error', () => undefined);
    await database.connect();
    try {
      const rows = await database.query(
        `SELECT status, current_step FROM saga_orchestrator.saga_instance WHERE aggregate_id = $1`,
        [aggregateId],
      );
      return rows.rows[0] as { status: string; current_step: string } | undefined;
    } finally {
      await database.end();
    }
  };

  it('finishes a connection after the orchestrator was killed mid-saga and restarted', async () => {
    const { token } = await signUp();
    await suite.kill('virtual-broker', 'SIGTERM');
    const connectionId = await connectVirtual(token);
    await eventually(async () => {
      const saga = await sagaRow(connectionId);
      return saga?.current_step === 'provision-virtual-accounts' ? true : undefined;
    }, 30_000);

    await suite.kill('saga-orchestrator');
    suite.spawn('virtual-broker');
    suite.spawn('saga-orchestrator');

    // The killed consumer holds its partitions until its Kafka session times out (30 s); then the new one resumes.
    await eventually(
      async () => ((await connectionStatus(token, connectionId)) === 'CONNECTED' ? true : undefined),
      100_000,
    );
    await suite.ready('saga-orchestrator');
  }, 150_000);

  it('retries a participant that is down past the step timeout, then compensates, leaving nothing behind', async () => {
    const { token } = await signUp();
    // broker-account answers the saga's first step, so the participant down is the virtual broker.
    await suite.kill('virtual-broker', 'SIGTERM');
    const connectionId = await connectVirtual(token);
    await eventually(
      async () => ((await sagaRow(connectionId))?.status === 'COMPENSATING' ? true : undefined),
      60_000,
    );
    suite.spawn('virtual-broker');

    await eventually(
      async () => ((await sagaRow(connectionId))?.status === 'COMPENSATED' ? true : undefined),
      60_000,
    );
    const [saga] = await sagasOf(connectionId);
    const detail = (await call('saga-orchestrator', 'GET', `/ops/sagas/${saga.id}`, suite.adminToken())).body;
    const sent: string[] = detail.timeline
      .filter((entry: { event: string }) => entry.event === 'sent')
      .map((entry: { commandType: string }) => entry.commandType);
    // The forward step is tried exactly three times while its participant is down; a compensation
    // may be resent if the restarted participant answers after its timeout, so repeats are folded.
    expect(sent.slice(0, 6)).toEqual([
      'IssueBrokerAccountDataKey',
      'IssueAutomationDataKey',
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'ProvisionVirtualAccounts',
      'ProvisionVirtualAccounts',
    ]);
    const compensations = sent.slice(6).filter((type, index, all) => index === 0 || all[index - 1] !== type);
    expect(compensations).toEqual(['PurgeVirtualAccounts', 'MarkConnectionFailed']);
    await suite.ready('virtual-broker');
    expect(await connectionStatus(token, connectionId)).toBe('FAILED');
    expect(
      JSON.stringify((await call('broker-account', 'GET', '/broker-accounts', token)).body),
    ).not.toContain(connectionId);
    expect(JSON.stringify((await call('virtual-broker', 'GET', '/accounts', token)).body)).not.toContain(
      '25000',
    );
  }, 150_000);
});
