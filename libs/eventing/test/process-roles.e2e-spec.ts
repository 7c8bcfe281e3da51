import type { INestApplication } from '@nestjs/common';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { eventually, type TestSchema } from '@tradecore/eventing/testing';
import type { Envelope } from '@tradecore/eventing';
import request from 'supertest';
import { EventingRuntime, ProcessRole } from '@tradecore/eventing/nest';
import { collectTopic, kafkaFor } from './eventing-test-kit';
import { sampleAppEnvironment, startSampleApp } from './sample-app/sample-app.environment';
import { SAMPLE_TOPIC } from './sample-app/sample-account.controller';

const ACCOUNTS = 40;

/** ConfigModule validates the environment when the module is built, so the role is set just before. */
function startAs(role: 'api' | 'worker', schema: string): Promise<INestApplication> {
  process.env.PROCESS_ROLE = role;
  process.env.TOPIC_PARTITIONS = `${SAMPLE_TOPIC}=2`;
  return startSampleApp(schema);
}

function envelopeOf(value: Buffer | null): Envelope {
  return JSON.parse(String(value));
}

/** Messages this process's consumers handled, from its own /metrics. */
async function handledBy(app: INestApplication): Promise<number> {
  const { text } = await request(app.getHttpServer()).get('/metrics');
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('eventing_consume_duration_seconds_count{') && line.includes('outcome="handled"'),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

// One api process and two workers of one service on one schema and broker: commands go to the api,
// the workers share the consumer group's partitions and one of them relays, and each event is
// published once and handled once.
describe('a service split into an api process and two workers', () => {
  let broker: DevBrokerHandle;
  let database: TestSchema;
  let api: INestApplication;
  let workers: INestApplication[] = [];

  beforeAll(async () => {
    // Declared with 2 partitions, but an older deployment made it with 1: the first worker grows it.
    ({ broker, database } = await sampleAppEnvironment('process_roles', [
      { topic: SAMPLE_TOPIC, numPartitions: 1 },
    ]));
    api = await startAs('api', database.schema);
    workers = [await startAs('worker', database.schema), await startAs('worker', database.schema)];
  });

  afterAll(async () => {
    for (const app of [api, ...workers]) await app?.close();
    delete process.env.PROCESS_ROLE;
    delete process.env.TOPIC_PARTITIONS;
    await database?.drop();
    await broker?.stop();
  });

  it('runs no consumers in the api process and answers API calls only there', async () => {
    expect(api.get(ProcessRole).name).toBe('api');
    expect(api.get(EventingRuntime).consumers()).toEqual([]);
    const ready = await request(api.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.info).sort()).toEqual(['database', 'redis']);

    const refused = await request(workers[0].getHttpServer()).post('/accounts').send({ owner: 'Ada' });
    expect(refused.status).toBe(404);
    expect(refused.body.message).toContain('PROCESS_ROLE=worker');
    expect((await request(workers[0].getHttpServer()).get('/metrics')).status).toBe(200);
  });

  it('grows the topic to TOPIC_PARTITIONS, shares its partitions between the workers and handles each event once', async () => {
    // Both workers in the group before the first command, so the share does not hinge on start-up timing.
    const admin = kafkaFor(broker.brokers).admin();
    await admin.connect();
    await eventually(async () => {
      const [group] = (await admin.describeGroups(['sample.account-activity'])).groups;
      return group.state === 'Stable' && group.members.length === 2 ? true : undefined;
    }, 30_000);
    const ids: string[] = [];
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const opened = await request(api.getHttpServer())
        .post('/accounts')
        .send({ owner: `trader ${i}` });
      expect(opened.status).toBe(201);
      ids.push(opened.body.id);
    }
    const activity = async () =>
      Number(
        (
          (await database.dataSource.query(
            `SELECT count(*) FROM "${database.schema}".account_activity WHERE type = 'AccountOpened'`,
          )) as { count: string }[]
        )[0].count,
      );
    await eventually(async () => ((await activity()) === ACCOUNTS ? true : undefined), 30_000);

    const [topic] = (await admin.fetchTopicMetadata({ topics: [SAMPLE_TOPIC] })).topics;
    await admin.disconnect();
    expect(topic.partitions).toHaveLength(2);

    const reader = await collectTopic(kafkaFor(broker.brokers, 'process-roles-reader'), SAMPLE_TOPIC);
    await eventually(async () => (reader.received.length >= ACCOUNTS ? true : undefined), 15_000);
    await reader.stop();
    const opened = reader.received
      .map(({ message }) => envelopeOf(message.value))
      .filter((envelope) => envelope.type === 'AccountOpened');
    expect(new Set(opened.map((message) => message.streamId))).toEqual(new Set(ids));
    expect(new Set(opened.map((message) => message.messageId)).size).toBe(opened.length);

    const shares = await Promise.all(workers.map(handledBy));
    expect(shares.every((share) => share > 0)).toBe(true);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(ACCOUNTS);
    expect(await handledBy(api)).toBe(0);
  });
});
