import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kafka } from 'kafkajs';
import { startDevBroker } from '../src';
import { consume, kafkaFor, quiet, uniqueName, useBrokerWithAdmin } from './support/kafka-fixture';

describe('CreatePartitions and DeleteRecords over kafkajs on a 3-node dev broker', () => {
  const dev = useBrokerWithAdmin({ nodes: 3 });

  async function createTopic(numPartitions = 1): Promise<string> {
    const topic = uniqueName('grow');
    await dev.admin.createTopics({ topics: [{ topic, numPartitions }] });
    // kafkajs's deleteTopicRecords looks leaders up in metadata it already has, so load it first.
    await dev.admin.fetchTopicMetadata({ topics: [topic] });
    return topic;
  }

  /** One send per value, so each record is its own batch. */
  async function produceOneByOne(topic: string, values: string[]): Promise<void> {
    const producer = dev.kafka.producer();
    await producer.connect();
    for (const value of values) await producer.send({ topic, messages: [{ value, partition: 0 }] });
    await producer.disconnect();
  }

  async function watermarks(topic: string) {
    const [partition] = await dev.admin.fetchTopicOffsets(topic);
    return { low: partition.low, high: partition.high };
  }

  it('grows a topic, and the new partitions take records', async () => {
    const topic = await createTopic(2);
    await dev.admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
    const metadata = await dev.admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3, 4]);
    const producer = dev.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'in the new one', partition: 4 }] });
    await producer.disconnect();
    const received = await consume(dev.kafka, topic, 1);
    expect(received.map((r) => [r.partition, r.message.value?.toString()])).toEqual([[4, 'in the new one']]);
  });

  it.each([
    ['the same count', 3],
    ['fewer partitions', 2],
  ])('refuses %s with INVALID_PARTITIONS', async (_case, count) => {
    const topic = await createTopic(3);
    await expect(dev.admin.createPartitions({ topicPartitions: [{ topic, count }] })).rejects.toMatchObject({
      type: 'INVALID_PARTITIONS',
    });
    expect((await dev.admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions).toHaveLength(3);
  });

  it('refuses an unknown topic with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await expect(
      dev.admin.createPartitions({ topicPartitions: [{ topic: uniqueName('absent'), count: 2 }] }),
    ).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('only validates when asked to', async () => {
    const topic = await createTopic(1);
    await dev.admin.createPartitions({ topicPartitions: [{ topic, count: 4 }], validateOnly: true });
    expect((await dev.admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions).toHaveLength(1);
  });

  it('deletes records below an offset: the low watermark moves and consumers start there', async () => {
    const topic = await createTopic();
    await produceOneByOne(topic, ['a', 'b', 'c', 'd', 'e']);
    await dev.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '3' }] });
    expect(await watermarks(topic)).toEqual({ low: '3', high: '5' });
    const received = await consume(dev.kafka, topic, 2);
    expect(received.map((r) => r.message.value?.toString())).toEqual(['d', 'e']);
  });

  it('deletes up to an offset inside a batch, and the records before it stay unread', async () => {
    const topic = await createTopic();
    const producer = dev.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: ['a', 'b', 'c'].map((value) => ({ value })) });
    await producer.disconnect();
    await dev.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
    expect(await watermarks(topic)).toEqual({ low: '1', high: '3' });
    const received = await consume(dev.kafka, topic, 2);
    expect(received.map((r) => r.message.value?.toString())).toEqual(['b', 'c']);
  });

  it('deletes everything with offset -1 and keeps the offsets counting', async () => {
    const topic = await createTopic();
    await produceOneByOne(topic, ['a', 'b']);
    await dev.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '-1' }] });
    expect(await watermarks(topic)).toEqual({ low: '2', high: '2' });
    await produceOneByOne(topic, ['c']);
    expect(await watermarks(topic)).toEqual({ low: '2', high: '3' });
  });

  it('leaves the log alone for an offset below its start', async () => {
    const topic = await createTopic();
    await produceOneByOne(topic, ['a', 'b', 'c']);
    await dev.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] });
    await dev.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
    expect(await watermarks(topic)).toEqual({ low: '2', high: '3' });
  });

  it('refuses an offset past the high watermark with OFFSET_OUT_OF_RANGE', async () => {
    const topic = await createTopic();
    await produceOneByOne(topic, ['a']);
    await expect(
      dev.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '5' }] }),
    ).rejects.toMatchObject({
      cause: {
        name: 'KafkaJSDeleteTopicRecordsError',
        partitions: [
          { partition: 0, offset: '5', error: expect.objectContaining({ type: 'OFFSET_OUT_OF_RANGE' }) },
        ],
      },
    });
    expect(await watermarks(topic)).toEqual({ low: '0', high: '1' });
  });
});

describe('partitions and deleted records with a data dir', () => {
  it('survive a restart, even when every record was deleted', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-broker-'));
    const topic = uniqueName('kept');
    const partitionOffsets = async (kafka: Kafka) => {
      const admin = kafka.admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.disconnect();
      return offsets
        .sort((a, b) => a.partition - b.partition)
        .map(({ partition, low, high }) => ({ partition, low, high }));
    };
    try {
      const first = await startDevBroker({ dataDir, ...quiet });
      const kafka = kafkaFor(first);
      const admin = kafka.admin();
      const producer = kafka.producer();
      await admin.connect();
      await producer.connect();
      await admin.createTopics({ topics: [{ topic }] });
      await admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });
      await admin.fetchTopicMetadata({ topics: [topic] });
      await producer.send({ topic, messages: [{ value: 'a', partition: 0 }] });
      await producer.send({ topic, messages: [{ value: 'b', partition: 0 }] });
      await producer.send({ topic, messages: [{ value: 'c', partition: 1 }] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: '-1' }] });
      await producer.disconnect();
      await admin.disconnect();
      const before = await partitionOffsets(kafka);
      await first.stop();

      const second = await startDevBroker({ dataDir, ...quiet });
      const after = await partitionOffsets(kafkaFor(second));
      const received = await consume(kafkaFor(second), topic, 1);
      await second.stop();
      expect(before).toEqual([
        { partition: 0, low: '1', high: '2' },
        { partition: 1, low: '1', high: '1' },
      ]);
      expect(after).toEqual(before);
      expect(received.map((r) => r.message.value?.toString())).toEqual(['b']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
