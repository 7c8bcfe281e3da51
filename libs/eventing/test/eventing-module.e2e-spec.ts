import { type INestApplication, Logger as NestLogger } from '@nestjs/common';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { eventually, type TestSchema } from '@tradecore/eventing/testing';
import request from 'supertest';
import { PARTNER_TOPIC } from './sample-app/account-activity.consumer';
import { createTopics, sampleAppEnvironment, startSampleApp } from './sample-app/sample-app.environment';

describe('EventingModule in a sample service', () => {
  let broker: DevBrokerHandle;
  let database: TestSchema;
  let app: INestApplication;

  beforeAll(async () => {
    ({ broker, database } = await sampleAppEnvironment('eventing_e2e'));
    app = await startSampleApp(database.schema);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await broker?.stop();
  });

  const openAccount = () => request(app.getHttpServer()).post('/accounts').send({ owner: 'Ada' });

  it('answers a command with 201, the new id and version, and the correlation id header', async () => {
    const response = await request(app.getHttpServer())
      .post('/accounts')
      .set('x-correlation-id', 'req-42')
      .send({ owner: 'Ada' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), version: 1 });
    expect(response.headers['x-correlation-id']).toBe('req-42');
  });

  it('makes up a correlation id when the caller sends none', async () => {
    const response = await openAccount();
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a command based on a stale version with 409 and the current version', async () => {
    const { id } = (await openAccount()).body;
    const deposit = (expectedVersion: number) =>
      request(app.getHttpServer()).post(`/accounts/${id}/deposits`).send({ amount: 10, expectedVersion });

    expect((await deposit(1)).body).toEqual({ id, version: 2 });
    const stale = await deposit(1);

    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      statusCode: 409,
      code: 'VERSION_CONFLICT',
      details: { currentVersion: 2 },
    });
    expect(stale.body.message).toContain('version 2');
  });

  it('refuses an invalid body with 400 naming each field and why', async () => {
    const response = await request(app.getHttpServer()).post('/accounts').send({ owner: '', nickname: 'x' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.message).toMatch(/owner.*nickname|nickname.*owner/);
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        {
          field: 'owner',
          reason: expect.stringContaining('owner must be longer than or equal to 1 characters'),
        },
        { field: 'nickname', reason: 'property nickname should not exist' },
      ]),
    );
  });

  it('answers a broken business rule with 422 and its code', async () => {
    const response = await request(app.getHttpServer())
      .post('/accounts/0190a0f4-7b1c-7000-8000-000000000000/deposits')
      .send({ amount: 5, expectedVersion: 0 });

    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'ACCOUNT_NOT_OPEN',
      message: 'Open the account before depositing',
      details: null,
    });
  });

  it('relays the event to Kafka, where a consumer handles it under the request correlation id', async () => {
    await request(app.getHttpServer())
      .post('/accounts')
      .set('x-correlation-id', 'trace-me')
      .send({ owner: 'Grace' });

    const rows = await eventually(async () => {
      const found: { type: string }[] = await database.dataSource.query(
        `SELECT type FROM "${database.schema}".account_activity WHERE correlation_id = 'trace-me'`,
      );
      return found.length > 0 ? found : undefined;
    });
    expect(rows).toEqual([{ type: 'AccountOpened' }]);
  });

  it('reports ready with database, Redis, Kafka, outbox and consumers up', async () => {
    const response = await request(app.getHttpServer()).get('/health/ready');

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
    expect(Object.keys(response.body.info).sort()).toEqual([
      'consumers',
      'database',
      'kafka',
      'outbox',
      'projections',
      'redis',
    ]);
  });

  it('exposes the eventing metrics for Prometheus', async () => {
    const response = await request(app.getHttpServer()).get('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const samples = response.text.split('\n').filter((line) => !line.startsWith('#'));
    const sampleOf = (name: string, label = '') =>
      samples.find((line) => line.startsWith(`${name}{`) && line.includes(label));
    expect(sampleOf('eventing_append_duration_seconds_count', 'stream_type="SampleAccount"')).toBeDefined();
    expect(sampleOf('eventing_version_conflicts_total', 'stream_type="SampleAccount"')).toMatch(/ 1$/);
    expect(sampleOf('eventing_outbox_backlog_rows')).toBeDefined();
    expect(sampleOf('eventing_outbox_oldest_age_seconds')).toBeDefined();
    expect(sampleOf('eventing_consume_duration_seconds_count', 'outcome="handled"')).toBeDefined();
    expect(
      sampleOf('http_request_duration_seconds_count', 'route="/accounts/:id/deposits",status="409"'),
    ).toMatch(/ 1$/);
    expect(sampleOf('process_cpu_user_seconds_total')).toBeDefined();
    expect(sampleOf('eventing_consumer_lag_messages', 'partition="0"')).toBeDefined();
    expect(sampleOf('eventing_consumer_lag_seconds', 'partition="0"')).toBeDefined();
    expect(sampleOf('eventing_db_pool_connections', 'state="waiting"')).toMatch(/ 0$/);
  });
});

describe('EventingModule when a consumed topic does not exist', () => {
  let broker: DevBrokerHandle;
  let database: TestSchema;
  let app: INestApplication;
  const errors: string[] = [];

  beforeAll(async () => {
    jest
      .spyOn(NestLogger.prototype, 'error')
      .mockImplementation((message: unknown) => void errors.push(String(message)));
    ({ broker, database } = await sampleAppEnvironment('eventing_e2e', [], { partnerTopic: false }));
    process.env.KAFKA_TOPIC_RECHECK_MS = '500';
    app = await startSampleApp(database.schema);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await broker?.stop();
    jest.restoreAllMocks();
  });

  it('stays live but not ready, naming the missing topic', async () => {
    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
    const ready = await request(app.getHttpServer()).get('/health/ready');

    expect(ready.status).toBe(503);
    expect(ready.body.error.kafka).toMatchObject({ status: 'down', missingTopics: [PARTNER_TOPIC] });
    expect(ready.body.error.consumers.status).toBe('down');
  });

  it('logs the problem once, as one line that names the topic', () => {
    const lines = errors.filter((line) => line.includes('not ready on Kafka'));
    expect(lines).toEqual([
      'sample is not ready on Kafka: topic(s) not found: partner.events (consumed by sample); retrying in the background',
    ]);
  });

  it('becomes ready by itself once the topic is created', async () => {
    await createTopics(broker, [{ topic: PARTNER_TOPIC, numPartitions: 1 }]);

    const ready = await eventually(async () => {
      const response = await request(app.getHttpServer()).get('/health/ready');
      return response.status === 200 ? response : undefined;
    });
    expect(ready.body.info.consumers.groups).toEqual([
      { group: 'sample.account-activity', topics: ['sample-account.events', PARTNER_TOPIC], running: true },
    ]);
  });
});
