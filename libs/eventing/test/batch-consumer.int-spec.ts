import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Envelope } from '../src/envelope/envelope';
import { toKafkaRecord } from '../src/envelope/kafka-message';
import { MessageConsumer } from '../src/consumer/message-consumer';
import { migrateEventing } from '../src/migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from '../src/testing';
import { ensureTopics } from '../src/topics/topic-registry';
import {
  collectTopic,
  createEffectsTable,
  kafkaFor,
  recordEffect,
  startQuietBroker,
  waitFor,
} from './eventing-test-kit';

function added(streamId: string, payload: object = {}): Envelope {
  return {
    messageId: `${streamId}-message`,
    type: 'Added',
    schemaVersion: 1,
    streamId,
    streamVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId: `${streamId}-correlation`,
    causationId: null,
    payload,
  };
}

describe('MessageConsumer in batch mode', () => {
  let db: TestSchema;
  let broker: DevBrokerHandle;
  let kafka: Kafka;
  let producer: Producer;
  const stoppers: (() => Promise<unknown>)[] = [];
  const batchSizes: number[] = [];

  const countEffects = async (filter = 'true'): Promise<number> =>
    (await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".effects WHERE ${filter}`))[0].n;

  const send = (envelopes: Envelope[]) =>
    producer.send({ topic: 'trace.in', messages: envelopes.map((envelope) => toKafkaRecord(envelope)) });

  const startBatchConsumer = async () => {
    const record = recordEffect(db.schema, 'tracer');
    const consumer = new MessageConsumer({
      kafka,
      dataSource: db.dataSource,
      schema: db.schema,
      groupId: 'tracer',
      topics: ['trace.in'],
      retry: { attempts: 2, initialDelayMs: 5, maxDelayMs: 10 },
      handle: async (envelope, manager) => {
        if ((envelope.payload as { poison?: boolean }).poison) throw new Error('cannot record poison');
        await record(envelope, manager);
      },
      handleBatch: async (envelopes, manager) => {
        batchSizes.push(envelopes.length);
        if (envelopes.some((envelope) => (envelope.payload as { poison?: boolean }).poison))
          throw new Error('cannot record poison');
        for (const envelope of envelopes) await record(envelope, manager);
      },
    });
    await consumer.start();
    stoppers.push(() => consumer.stop());
  };

  beforeEach(async () => {
    batchSizes.length = 0;
    db = await createTestSchema();
    await migrateEventing(db.dataSource, db.schema);
    await createEffectsTable(db.dataSource, db.schema);
    broker = await startQuietBroker({ autoCreateTopics: false });
    kafka = kafkaFor(broker.brokers);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: 'trace.in', partitions: 1, owned: true }], 'tracer');
    await admin.disconnect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    stoppers.push(() => producer.disconnect());
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await broker.stop();
    await db.drop();
  });

  it('handles a fetched batch in one call, and each message once however often it arrives', async () => {
    const first = Array.from({ length: 50 }, (_, i) => added(`s-${i}`));
    await send(first);
    await startBatchConsumer();
    await waitFor(async () => (await countEffects()) === 50);
    expect(batchSizes.reduce((sum, size) => sum + size, 0)).toBe(50);
    expect(batchSizes.length).toBeLessThan(50);

    await send([...first.slice(0, 10), added('late'), added('late')]);
    await waitFor(async () => (await countEffects("stream_id = 'late'")) === 1);
    expect(await countEffects()).toBe(51);
  });

  it('falls back to one message at a time when the batch fails, so only the poison is dead-lettered', async () => {
    const dlq = await collectTopic(kafka, 'trace.in.dlq');
    stoppers.push(dlq.stop);
    await send([added('before'), added('poisoned', { poison: true }), added('after')]);
    await startBatchConsumer();

    await waitFor(async () => dlq.received.length === 1 && (await countEffects()) === 2);
    expect(JSON.parse(dlq.received[0].message.value!.toString()).streamId).toBe('poisoned');
    expect(await countEffects("stream_id IN ('before', 'after')")).toBe(2);
    await send([added('next')]);
    await waitFor(async () => (await countEffects("stream_id = 'next'")) === 1);
  });
});
