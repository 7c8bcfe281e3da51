import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import type { Envelope } from '../src/envelope/envelope';
import { toKafkaRecord } from '../src/envelope/kafka-message';
import { MessageConsumer } from '../src/consumer/message-consumer';
import { migrateEventing } from '../src/migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from '../src/testing';
import { ensureTopics } from '../src/topics/topic-registry';
import { collectTopic, kafkaFor, startQuietBroker, eventually } from './eventing-test-kit';

const TOPIC = 'trace.in';
const PARTITIONS = 3;

function added(streamId: string, payload: object = {}, messageId = `${streamId}-message`): Envelope {
  return {
    messageId,
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

const poisoned = (envelope: Envelope) => (envelope.payload as { poison?: boolean }).poison === true;

describe('MessageConsumer with a batch handler (PostgreSQL, dev broker)', () => {
  let db: TestSchema;
  let broker: DevBrokerHandle;
  let kafka: Kafka;
  let producer: Producer;
  const stoppers: (() => Promise<unknown>)[] = [];
  let batches: string[][];

  const recorded = async (filter = 'true'): Promise<{ message_id: string; txid: string }[]> =>
    db.dataSource.query(
      `SELECT message_id, txid::text FROM "${db.schema}".recorded WHERE ${filter} ORDER BY message_id`,
    );
  const claimed = async (): Promise<string[]> =>
    (await db.dataSource.query(`SELECT message_id FROM "${db.schema}".inbox ORDER BY message_id`)).map(
      (row: { message_id: string }) => row.message_id,
    );

  const send = (envelopes: Envelope[]) =>
    producer.send({ topic: TOPIC, messages: envelopes.map((envelope) => toKafkaRecord(envelope)) });

  /** Records each message with the transaction it ran in; an idempotent one skips what it recorded before. */
  const record = async (envelope: Envelope, manager: EntityManager, idempotent: boolean) => {
    await manager.query(
      `INSERT INTO "${db.schema}".recorded (message_id, txid) VALUES ($1, txid_current())
       ${idempotent ? 'ON CONFLICT (message_id) DO NOTHING' : ''}`,
      [envelope.messageId],
    );
  };

  const start = async (idempotent = false) => {
    const consumer = new MessageConsumer({
      kafka,
      dataSource: db.dataSource,
      schema: db.schema,
      groupId: 'tracer',
      topics: [TOPIC],
      idempotent,
      // Generous, so every partition's batch of the first fetch joins the same transaction.
      batchLingerMs: 100,
      retry: { attempts: 2, initialDelayMs: 5, maxDelayMs: 10 },
      handle: async (envelope, manager) => {
        if (poisoned(envelope)) throw new Error('cannot record poison');
        await record(envelope, manager, idempotent);
      },
      handleBatch: async (envelopes, manager) => {
        batches.push(envelopes.map((envelope) => envelope.messageId));
        if (envelopes.some(poisoned)) throw new Error('cannot record poison');
        for (const envelope of envelopes) await record(envelope, manager, idempotent);
      },
    });
    await consumer.start();
    stoppers.push(() => consumer.stop());
  };

  beforeEach(async () => {
    batches = [];
    db = await createTestSchema();
    await migrateEventing(db.dataSource, db.schema);
    await db.dataSource.query(
      `CREATE TABLE "${db.schema}".recorded (message_id text PRIMARY KEY, txid bigint NOT NULL)`,
    );
    broker = await startQuietBroker({ autoCreateTopics: false });
    kafka = kafkaFor(broker.brokers);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: TOPIC, partitions: PARTITIONS, owned: true }], 'tracer');
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

  it("handles every partition's batch of a fetch in one call and one transaction, each message once however often it arrives", async () => {
    const first = Array.from({ length: 30 }, (_, i) => added(`s-${i}`));
    await send(first);
    await start();
    await eventually(async () => (await recorded()).length === 30);

    expect(new Set((await recorded()).map((row) => row.txid)).size).toBe(1);
    expect(batches).toHaveLength(1);
    expect(await claimed()).toHaveLength(30);

    await send([...first.slice(0, 10), added('late'), added('late')]);
    await eventually(async () => (await recorded("message_id = 'late-message'")).length === 1);
    expect(await recorded()).toHaveLength(31);
    expect(batches.flat().filter((id) => id === 'late-message')).toEqual(['late-message']);
  });

  it('falls back to one message at a time when the shared transaction fails, so only the poison is dead-lettered', async () => {
    const dlq = await collectTopic(kafka, `${TOPIC}.dlq`);
    stoppers.push(dlq.stop);
    const neighbours = Array.from({ length: 6 }, (_, i) => added(`n-${i}`));
    await send([...neighbours, added('poisoned', { poison: true })]);
    await start();

    await eventually(async () => dlq.received.length === 1 && (await recorded()).length === 6);
    expect(JSON.parse(dlq.received[0].message.value!.toString()).streamId).toBe('poisoned');
    expect(await claimed()).toEqual(neighbours.map((envelope) => envelope.messageId).sort());
    await send([added('next')]);
    await eventually(async () => (await recorded("message_id = 'next-message'")).length === 1);
  });

  it('claims ids that need quoting in SQL exactly as sent (the claim is an escaped literal)', async () => {
    const odd = ["it's", 'back\\slash', "');DROP TABLE x;--"];
    await send(odd.map((id, i) => added(`odd-${i}`, {}, id)));
    await start();

    await eventually(async () => (await recorded()).length === 3);
    expect(await claimed()).toEqual([...odd].sort());
  });

  it('claims no inbox row for an idempotent handler: a redelivered message is handled again, without effect', async () => {
    const first = Array.from({ length: 6 }, (_, i) => added(`i-${i}`));
    await send(first);
    await start(true);
    await eventually(async () => (await recorded()).length === 6);

    await send([first[0], added('after')]);
    await eventually(async () => (await recorded("message_id = 'after-message'")).length === 1);
    expect(await recorded()).toHaveLength(7);
    expect(batches.flat().filter((id) => id === first[0].messageId)).toHaveLength(2);
    expect(await claimed()).toEqual([]);
  });
});
