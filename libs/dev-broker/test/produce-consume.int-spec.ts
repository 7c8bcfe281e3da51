import { CompressionTypes, type Kafka } from 'kafkajs';
import { type DevBrokerHandle, startDevBroker } from '../src';
import { consume, kafkaFor, quiet, uniqueName } from './support/kafka-fixture';

describe.each([1, 3])('producing and consuming with kafkajs on a %i-node dev broker', (nodes) => {
  let broker: DevBrokerHandle;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startDevBroker({ nodes, ...quiet });
    kafka = kafkaFor(broker);
  });

  afterAll(() => broker.stop());

  async function createTopic(
    numPartitions: number,
    configEntries: { name: string; value: string }[] = [],
  ): Promise<string> {
    const topic = uniqueName('flow');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions, configEntries }] });
    await admin.disconnect();
    return topic;
  }

  async function send(
    topic: string,
    messages: Parameters<ReturnType<Kafka['producer']>['send']>[0]['messages'],
    compression?: CompressionTypes,
  ) {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages, compression });
    await producer.disconnect();
  }

  it('delivers keys, values and headers as sent', async () => {
    const topic = await createTopic(1);
    await send(topic, [
      { key: 'order-1', value: 'placed', headers: { 'trace-id': 'abc', kind: 'event' } },
      { key: null, value: 'no key' },
    ]);
    const received = await consume(kafka, topic, 2);
    expect(received.map(({ message }) => message.key?.toString() ?? null)).toEqual(['order-1', null]);
    expect(received.map(({ message }) => message.value?.toString())).toEqual(['placed', 'no key']);
    expect(received[0].message.headers?.['trace-id']?.toString()).toBe('abc');
    expect(received[0].message.headers?.kind?.toString()).toBe('event');
  });

  it('keeps the order within each partition across many sends', async () => {
    const topic = await createTopic(3);
    const producer = kafka.producer();
    await producer.connect();
    for (let round = 0; round < 10; round++) {
      await producer.send({
        topic,
        messages: [0, 1, 2].flatMap((partition) => [{ partition, value: `${partition}:${round}` }]),
      });
    }
    await producer.disconnect();
    const received = await consume(kafka, topic, 30);
    for (const partition of [0, 1, 2]) {
      const values = received
        .filter((r) => r.partition === partition)
        .map((r) => r.message.value?.toString());
      expect(values).toEqual(Array.from({ length: 10 }, (_, round) => `${partition}:${round}`));
      const offsets = received.filter((r) => r.partition === partition).map((r) => Number(r.message.offset));
      expect(offsets).toEqual(Array.from({ length: 10 }, (_, i) => i));
    }
  });

  it('round-trips GZIP-compressed batches untouched', async () => {
    const topic = await createTopic(1);
    const values = Array.from({ length: 50 }, (_, i) => `compressible ${'x'.repeat(200)} ${i}`);
    await send(
      topic,
      values.map((value) => ({ value })),
      CompressionTypes.GZIP,
    );
    await send(topic, [{ value: 'plain after gzip' }]);
    const received = await consume(kafka, topic, 51);
    expect(received.map(({ message }) => message.value?.toString())).toEqual([...values, 'plain after gzip']);
    expect(received.map(({ message }) => message.offset)).toEqual(
      Array.from({ length: 51 }, (_, i) => String(i)),
    );
  });

  it('resets a committed offset beyond the log end to the earliest, as the consumer asks', async () => {
    const topic = await createTopic(1);
    await send(topic, [{ value: 'first' }, { value: 'second' }]);
    const groupId = uniqueName('reset');
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1000' }] });
    await admin.disconnect();
    const received = await consume(kafka, topic, 2, groupId);
    expect(received.map(({ message }) => message.value?.toString())).toEqual(['first', 'second']);
  });

  it('delivers a batch larger than the partition fetch limit', async () => {
    // 1.2 MB is over Kafka's default max.message.bytes, so the topic raises it as Kafka would need.
    const topic = await createTopic(1, [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }]);
    const big = 'b'.repeat(600 * 1024);
    await send(topic, [{ value: big }, { value: big }]);
    await send(topic, [{ value: 'after' }]);
    const consumer = kafka.consumer({
      groupId: uniqueName('big'),
      maxBytesPerPartition: 64 * 1024,
      maxWaitTimeInMs: 100,
    });
    const values: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length === 3) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(values.map((v) => v.length)).toEqual([big.length, big.length, 5]);
  });
});
