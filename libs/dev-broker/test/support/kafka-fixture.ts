import { type Admin, Kafka, type KafkaConfig, type KafkaMessage, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { type DevBrokerHandle, type DevBrokerOptions, startDevBroker } from '../../src';
import { silentLogger } from '../../src/logger';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export const quiet = { logger: silentLogger };

export function kafkaFor(broker: DevBrokerHandle, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'dev-broker-test',
    brokers: [...broker.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50 },
    ...overrides,
  });
}

export interface BrokerWithAdmin {
  readonly broker: DevBrokerHandle;
  readonly kafka: Kafka;
  readonly admin: Admin;
}

/** A quiet dev broker, a client and a connected admin for the enclosing describe block: started before its tests, stopped after. */
export function useBrokerWithAdmin(options: DevBrokerOptions = {}): BrokerWithAdmin {
  const suite = {} as { broker: DevBrokerHandle; kafka: Kafka; admin: Admin };
  beforeAll(async () => {
    suite.broker = await startDevBroker({ ...options, ...quiet });
    suite.kafka = kafkaFor(suite.broker);
    suite.admin = suite.kafka.admin();
    await suite.admin.connect();
  });
  afterAll(async () => {
    await suite.admin.disconnect();
    await suite.broker.stop();
  });
  return suite;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface Received {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** Runs a fresh consumer group from the beginning of `topic` until `count` messages arrived. */
export async function consume(
  kafka: Kafka,
  topic: string,
  count: number,
  groupId = uniqueName('group'),
): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const received: Received[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({ partition, message });
            if (received.length >= count) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** One send of `values` to partition 0's leader, as one batch. */
export async function produce(kafka: Kafka, topic: string, values: readonly string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value, partition: 0 })) });
  await producer.disconnect();
}

/** Partition 0's log start (low) and end (high). */
export async function offsets(kafka: Kafka, topic: string): Promise<{ low: string; high: string }> {
  const admin = kafka.admin();
  await admin.connect();
  const [partition] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return { low: partition.low, high: partition.high };
}
