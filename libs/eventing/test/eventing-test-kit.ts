import { createServer } from 'node:net';
import { type EachMessagePayload, Kafka, logLevel } from 'kafkajs';
import { type DevBrokerHandle, type DevBrokerOptions, startDevBroker } from '@tradecore/dev-broker';
import { migrateEventing } from '../src/migrations/eventing-migrations';
import type { EventingInstrumentation } from '../src/observability/instrumentation';
import { createTestSchema, type TestSchema } from '../src/testing/test-database';
import { ensureTopics } from '../src/topics/topic-registry';
import { eventually } from '../src/testing/eventually';

export const quietBrokerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function startQuietBroker(options: DevBrokerOptions = {}): Promise<DevBrokerHandle> {
  return startDevBroker({ logger: quietBrokerLogger, ...options });
}

/** A fresh schema with eventing's tables and the effects table, for one test. */
export async function eventingSchema(): Promise<TestSchema> {
  const db = await createTestSchema();
  await migrateEventing(db.dataSource, db.schema);
  await createEffectsTable(db.dataSource, db.schema);
  return db;
}

/** A quiet dev broker that creates no topic by itself, holding these (one partition each), and a client. */
export async function brokerWithTopics(
  topics: readonly string[],
): Promise<{ broker: DevBrokerHandle; kafka: Kafka }> {
  const broker = await startQuietBroker({ autoCreateTopics: false });
  const kafka = kafkaFor(broker.brokers);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    topics.map((name) => ({ name, partitions: 1, owned: true })),
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

/** Polls until the condition holds; the test's own timeout is the only limit, so no timing is asserted. */
export async function waitFor(condition: () => Promise<boolean> | boolean, intervalMs = 25): Promise<void> {
  await eventually(async () => ((await condition()) ? true : undefined), Infinity, intervalMs);
}

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
