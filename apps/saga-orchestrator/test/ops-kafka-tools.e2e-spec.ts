import { type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { OrchestratorKit } from './support/orchestrator-kit';

describe('saga-orchestrator ops API: Kafka repair tools', () => {
  const group = `ops-test.reset-${uuidv7()}`;
  const topic = `ops-test.events-${uuidv7()}`;
  const correlationId = uuidv7();

  let kit: OrchestratorKit;
  let app: INestApplication;
  let adminToken: string;

  beforeAll(async () => {
    kit = await OrchestratorKit.start();
    app = await kit.startOrchestrator({ SAGA_TIMEOUT_SCALE: '1' });
    adminToken = `Bearer ${kit.token('admin')}`;
  });

  afterAll(() => kit?.stop());

  const get = (path: string) => request(app.getHttpServer()).get(path).set('authorization', adminToken);
  const post = (path: string, body: object = {}) =>
    request(app.getHttpServer()).post(path).set('authorization', adminToken).send(body);

  beforeAll(async () => {
    const admin = kit.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    const envelopes = Array.from({ length: 6 }, (_, i) => ({
      messageId: uuidv7(),
      type: i % 2 === 0 ? 'ThingHappened' : 'OtherThingHappened',
      schemaVersion: 1,
      streamId: `thing-${i}`,
      streamVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: i < 4 ? correlationId : uuidv7(),
      causationId: null,
      payload: { n: i },
    }));
    const producer = kit.kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: envelopes.map((envelope, i) => ({
        partition: i % 2,
        key: envelope.streamId,
        value: JSON.stringify(envelope),
      })),
    });
    await producer.disconnect();
  });

  it('resets a stopped group after a dry run that shows the change, and refuses a live or unknown one', async () => {
    const admin = kit.kafka.admin();
    await admin.connect();
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: [0, 1].map((partition) => ({ partition, offset: '3' })),
    });

    const dryRun = await post(`/ops/consumer-groups/${group}/reset-offsets`, {
      topic,
      to: 'earliest',
      dryRun: true,
    });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.partitions).toEqual([
      { partition: 0, from: '3', to: '0' },
      { partition: 1, from: '3', to: '0' },
    ]);
    const unchanged = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(unchanged[0].partitions.map((p) => p.offset)).toEqual(['3', '3']);

    const reset = await post(`/ops/consumer-groups/${group}/reset-offsets`, {
      topic,
      to: 'offsets',
      offsets: [{ partition: 0, offset: '1' }],
    });
    expect(reset.body).toMatchObject({ dryRun: false, partitions: [{ partition: 0, from: '3', to: '1' }] });
    const moved = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(moved[0].partitions.find((p) => p.partition === 0)?.offset).toBe('1');
    await admin.disconnect();

    const live = await post('/ops/consumer-groups/saga-orchestrator.saga-replies/reset-offsets', {
      topic: 'saga.replies',
      to: 'latest',
    });
    expect([live.status, live.body.code]).toEqual([409, 'CONSUMER_GROUP_ACTIVE']);
    const unknown = await post(`/ops/consumer-groups/nobody-${uuidv7()}/reset-offsets`, {
      topic,
      to: 'latest',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'CONSUMER_GROUP_NOT_FOUND']);
    const noTime = await post(`/ops/consumer-groups/${group}/reset-offsets`, { topic, to: 'timestamp' });
    expect(noTime.status).toBe(400);
    expect(noTime.body.message).toMatch(/timestamp/);
  });

  it('browses a topic page by page, decoded and filtered, leaving no consumer group behind', async () => {
    const first = await get(`/ops/topics/${topic}/messages?partition=0&limit=2`);
    expect(first.status).toBe(200);
    expect(
      first.body.messages.map((m: { envelope: { payload: { n: number } } }) => m.envelope.payload.n),
    ).toEqual([0, 2]);
    expect(first.body.messages[0]).toMatchObject({ partition: 0, offset: '0', key: 'thing-0' });
    expect(first.body.next).toBe('0:2');
    const second = await get(`/ops/topics/${topic}/messages?limit=2&cursor=${first.body.next}`);
    expect(
      second.body.messages.map((m: { envelope: { payload: { n: number } } }) => m.envelope.payload.n),
    ).toEqual([4]);
    expect(second.body.next).toBeNull();

    const filtered = await get(
      `/ops/topics/${topic}/messages?limit=100&type=ThingHappened&correlationId=${correlationId}`,
    );
    // 0 and 2 are ThingHappened within the correlation; 4 is outside it, the odd ones another type.
    const found = filtered.body.messages.map(
      (m: { envelope: { payload: { n: number } } }) => m.envelope.payload.n,
    );
    expect(found.sort()).toEqual([0, 2]);
    expect(filtered.body).toMatchObject({ scanned: 6, next: null });

    expect((await get('/ops/topics/no.such-topic/messages')).body.code).toBe('TOPIC_NOT_FOUND');
    expect((await get(`/ops/topics/${topic}/messages?limit=1000`)).status).toBe(400);
    const admin = kit.kafka.admin();
    await admin.connect();
    const { groups } = await admin.listGroups();
    await admin.disconnect();
    expect(groups.filter((g) => g.groupId.includes('topic-browser'))).toEqual([]);
  });
});
