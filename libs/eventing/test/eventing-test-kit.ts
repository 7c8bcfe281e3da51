import { createServer } from 'node:net';
import { type EachMessagePayload, Kafka, logLevel } from 'kafkajs';
import { type DevBrokerHandle, type DevBrokerOptions, startDevBroker } from '@tradecore/dev-broker';
import {
  MessageConsumer,
  type MessageConsumerOptions,
  type MessageHandler,
} from '../src/consumer/message-consumer';
import type { EventStore } from '../src/event-store/event-store';
import type { EventingInstrumentation } from '../src/observability/instrumentation';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { migrateEventing } from '../src/migrations/eventing-migrations';
import { createTestEventStore, createTestSchema, eventually as poll, type TestSchema } from '../src/testing';
import { ensureTopics } from '../src/topics/topic-registry';

export const quietBrokerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function startQuietBroker(options: DevBrokerOptions = {}): Promise<DevBrokerHandle> {
  return startDevBroker({ logger: quietBrokerLogger, ...options });
}

export async function eventingSchema(): Promise<TestSchema> {
  const db = await createTestSchema();
  await migrateEventing(db.dataSource, db.schema);
  await createEffectsTable(db.dataSource, db.schema);
  return db;
}

/** A quiet dev broker that creates no topic by itself, holding these and their DLQs (`partitions` each), and a client. */
export async function brokerWithTopics(
  topics: readonly string[],
  partitions = 1,
): Promise<{ broker: DevBrokerHandle; kafka: Kafka }> {
  const broker = await startQuietBroker({ autoCreateTopics: false });
  const kafka = kafkaFor(broker.brokers);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    topics.map((name) => ({ name, partitions, owned: true })),
    'tally',
  );
  await admin.disconnect();
  return { broker, kafka };
}

export function kafkaFor(brokers: readonly string[], clientId = 'eventing-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, maxRetryTime: 1000, retries: 8 },
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The library's poller every 25 ms with no limit of its own: the test's timeout is the only one, so no timing is asserted. */
export const eventually = <T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<T> => poll(probe, Infinity, 25);

export interface RecordedConsumption {
  consumer: string;
  topic: string;
  outcome: string;
}

export function recordingInstrumentation(overrides: Partial<EventingInstrumentation> = {}) {
  const consumed: RecordedConsumption[] = [];
  const instrumentation: EventingInstrumentation = {
    appended: () => undefined,
    versionConflict: () => undefined,
    relayPublished: () => undefined,
    relayBacklog: () => undefined,
    consumed: (consumer, topic, outcome) => void consumed.push({ consumer, topic, outcome }),
    ...overrides,
  };
  return { instrumentation, consumed };
}

/** Reads a topic from the beginning with a throwaway group, collecting raw messages. */
export async function collectTopic(kafka: Kafka, topic: string) {
  const received: EachMessagePayload[] = [];
  const consumer = kafka.consumer({
    groupId: `reader-${topic}-${Date.now()}-${Math.random()}`,
    maxWaitTimeInMs: 50,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async (payload) => void received.push(payload) });
  return { received, stop: () => consumer.disconnect() };
}

/** A table of handler effects, in the order they were applied, to count and order what consumers did. */
export async function createEffectsTable(
  dataSource: { query(sql: string): Promise<unknown> },
  schema: string,
): Promise<void> {
  await dataSource.query(
    `CREATE TABLE "${schema}".effects (seq bigserial PRIMARY KEY, consumer text NOT NULL, stream_id text NOT NULL, version int NOT NULL, message_id text NOT NULL)`,
  );
}

export function recordEffect(schema: string, consumer: string) {
  return async (
    envelope: { streamId: string; streamVersion: number; messageId: string },
    manager: { query(sql: string, params: unknown[]): Promise<unknown> },
  ) => {
    await manager.query(
      `INSERT INTO "${schema}".effects (consumer, stream_id, version, message_id) VALUES ($1, $2, $3, $4)`,
      [consumer, envelope.streamId, envelope.streamVersion, envelope.messageId],
    );
  };
}

export interface ConsumerHarness {
  db: TestSchema;
  store: EventStore;
  broker: DevBrokerHandle;
  kafka: Kafka;
  /** Run after each test, last first: consumers, relays, readers and producers a test started. */
  readonly stoppers: (() => Promise<unknown>)[];
  countEffects(filter?: string): Promise<number>;
  /** What a MessageConsumer of `groupId` on this schema and broker needs, with the harness's quick retries. */
  consumerOptions(groupId: string, topics: string[], handle: MessageHandler): MessageConsumerOptions;
  startConsumer(
    groupId: string,
    topics: string[],
    handle: MessageHandler,
    knownTypes?: string[],
    handling?: Pick<MessageConsumerOptions, 'handledTypes' | 'handlesMessage'>,
  ): Promise<MessageConsumer>;
  startRelay(): void;
}

/**
 * For each test a fresh migrated schema with an effects table, an event store, and a dev broker
 * holding the given topics (one partition each, owned by service "tally"); all stopped after it.
 */
export function useConsumerHarness(topics: readonly string[]): ConsumerHarness {
  const retry = { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 };
  const harness = {
    stoppers: [],
    countEffects: async (filter = 'true') =>
      (
        await harness.db.dataSource.query(
          `SELECT count(*)::int AS n FROM "${harness.db.schema}".effects WHERE ${filter}`,
        )
      )[0].n,
    consumerOptions: (groupId, subscribed, handle) => ({
      kafka: harness.kafka,
      dataSource: harness.db.dataSource,
      schema: harness.db.schema,
      groupId,
      topics: subscribed,
      handle,
      retry,
    }),
    startConsumer: async (groupId, subscribed, handle, knownTypes, handling) => {
      const consumer = new MessageConsumer({
        ...harness.consumerOptions(groupId, subscribed, handle),
        knownTypes,
        ...handling,
      });
      await consumer.start();
      harness.stoppers.push(() => consumer.stop());
      return consumer;
    },
    startRelay: () => {
      const { kafka, db } = harness;
      const relay = new OutboxRelay({
        dataSource: db.dataSource,
        schema: db.schema,
        kafka,
        serviceName: 'tally',
      });
      relay.start();
      harness.stoppers.push(() => relay.stop());
    },
  } as Omit<ConsumerHarness, 'db' | 'store' | 'broker' | 'kafka'> as ConsumerHarness;

  beforeEach(async () => {
    const { store, ...db } = await createTestEventStore();
    Object.assign(harness, { db, store });
    await createEffectsTable(db.dataSource, db.schema);
    harness.broker = await startQuietBroker({ autoCreateTopics: false });
    harness.kafka = kafkaFor(harness.broker.brokers);
    const admin = harness.kafka.admin();
    await admin.connect();
    const owned = topics.map((name) => ({ name, partitions: 1, owned: true }));
    await ensureTopics(admin, owned, 'tally');
    await admin.disconnect();
  });
  afterEach(async () => {
    for (const stop of harness.stoppers.splice(0).reverse()) await stop();
    await harness.broker.stop();
    await harness.db.drop();
  });
  return harness;
}
