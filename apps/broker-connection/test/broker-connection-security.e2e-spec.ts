import { v7 as uuidv7 } from 'uuid';
import { Logger } from 'nestjs-pino';
import { type BrokerConnectionTestApp, startBrokerConnectionTestApp } from './broker-connection-test-app';
import { eventually } from '@tradecore/eventing/testing';

describe('broker-connection access and secrecy', () => {
  let t: BrokerConnectionTestApp;
  const alice = uuidv7();
  const bob = uuidv7();

  beforeAll(async () => {
    t = await startBrokerConnectionTestApp();
  });

  afterAll(() => t?.stop());

  it('refuses requests without a valid token', async () => {
    expect((await t.http().get('/broker-connections')).status).toBe(401);
  });

  it('names missing credential fields with 400', async () => {
    const response = await t
      .http()
      .post('/broker-connections')
      .set('Authorization', t.tokenOf(alice))
      .send({ broker: 'tradestation', mode: 'live', credentials: { clientId: 'x' } });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('shows a connection to its owner only', async () => {
    const connectionId = await t.connect(alice);
    const asBob = (path: string) => t.http().get(path).set('Authorization', t.tokenOf(bob));
    expect((await asBob(`/broker-connections/${connectionId}`)).status).toBe(404);
    expect((await asBob(`/broker-connections/${connectionId}/health`)).status).toBe(404);
    expect(
      (
        await t
          .http()
          .post(`/broker-connections/${connectionId}/disconnect`)
          .set('Authorization', t.tokenOf(bob))
      ).status,
    ).toBe(404);
    expect((await asBob('/broker-connections')).body).toEqual([]);
    const mine = await t.http().get('/broker-connections').set('Authorization', t.tokenOf(alice));
    expect(mine.body.map((c: { connectionId: string }) => c.connectionId)).toContain(connectionId);
  });

  it('stores credentials as ciphertext only, and never lets them out in events, messages, responses or logs', async () => {
    const connectionId = await t.connect(alice);
    const [row] = await t.database.dataSource.query(
      `SELECT key_id, ciphertext, iv, auth_tag FROM "${t.database.schema}".connection_credentials WHERE connection_id = $1`,
      [connectionId],
    );
    expect(row.key_id).toBe('k1');
    expect(Buffer.from(row.ciphertext).toString('latin1')).not.toContain(t.secret);
    expect(Buffer.from(row.ciphertext).toString('latin1')).not.toContain(t.keyId);

    const tables = await t.database.dataSource.query(
      `SELECT coalesce((SELECT string_agg(payload::text, '') FROM "${t.database.schema}".events), '') ||
              coalesce((SELECT string_agg(envelope::text, '') FROM "${t.database.schema}".outbox), '') ||
              coalesce((SELECT string_agg(row_to_json(c)::text, '') FROM "${t.database.schema}".connections c), '') AS dump`,
    );
    expect(tables[0].dump).toContain(connectionId);
    expect(tables[0].dump).not.toContain(t.secret);
    const view = await t
      .http()
      .get(`/broker-connections/${connectionId}`)
      .set('Authorization', t.tokenOf(alice));
    expect(JSON.stringify(view.body)).not.toContain(t.secret);

    await eventually(() => (t.orchestrator.events('broker-connection.events').length > 0 ? true : undefined));
    expect(t.orchestrator.rawMessages()).not.toContain(t.secret);
    expect(t.orchestrator.rawMessages()).not.toContain(t.keyId);
    // A request body that ever reaches a log line has its credentials redacted.
    t.app
      .get(Logger)
      .warn(
        { body: { broker: 'alpaca', credentials: { apiKeyId: t.keyId, apiSecretKey: t.secret } } },
        'probe',
      );
    expect(t.logs.join('')).toContain('[redacted]');
    expect(t.logs.join('')).not.toContain(t.secret);
  });

  it('shows the circuit breakers in readiness and metrics', async () => {
    const ready = await t.http().get('/health/ready');
    expect(ready.body.details.brokerCircuits).toMatchObject({
      status: 'up',
      alpaca: expect.any(String),
      tradestation: 'closed',
    });
    const metrics = await t.http().get('/metrics');
    expect(metrics.text).toMatch(/broker_circuit_state\{[^}]*broker="alpaca"/);
  });
});
