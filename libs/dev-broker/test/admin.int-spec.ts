import { startDevBroker } from '../src';
import { kafkaFor, quiet, uniqueName, useBrokerWithAdmin } from './support/kafka-fixture';

describe.each([1, 3])('admin against a %i-node dev broker', (nodes) => {
  const dev = useBrokerWithAdmin({ nodes });

  it('advertises one port per node', () => {
    expect(dev.broker.ports).toHaveLength(nodes);
    expect(new Set(dev.broker.ports).size).toBe(nodes);
  });

  it('creates a topic once; creating it again resolves false', async () => {
    const topic = uniqueName('created');
    await expect(dev.admin.createTopics({ topics: [{ topic, numPartitions: 4 }] })).resolves.toBe(true);
    await expect(dev.admin.createTopics({ topics: [{ topic, numPartitions: 4 }] })).resolves.toBe(false);
    const metadata = await dev.admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);
  });

  it('spreads partition leaders over the nodes', async () => {
    const topic = uniqueName('spread');
    await dev.admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
    const metadata = await dev.admin.fetchTopicMetadata({ topics: [topic] });
    const leaders = new Set(metadata.topics[0].partitions.map((p) => p.leader));
    expect([...leaders].sort()).toEqual(Array.from({ length: nodes }, (_, i) => i));
  });

  it("rejects a topic name outside Kafka's rule", async () => {
    await expect(dev.admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toThrow(
      /Topic creation errors/,
    );
    await expect(dev.admin.createTopics({ topics: [{ topic: '..' }] })).rejects.toThrow(
      /Topic creation errors/,
    );
    expect(await dev.admin.listTopics()).not.toContain('bad name!');
  });

  it('only validates when asked to', async () => {
    const topic = uniqueName('validated');
    await expect(
      dev.admin.createTopics({ topics: [{ topic }], validateOnly: true, waitForLeaders: false }),
    ).resolves.toBe(true);
    expect(await dev.admin.listTopics()).not.toContain(topic);
  });

  it('rejects zero partitions', async () => {
    await expect(
      dev.admin.createTopics({ topics: [{ topic: uniqueName('zero'), numPartitions: 0 }] }),
    ).rejects.toThrow();
  });

  it('lists and deletes topics', async () => {
    const topic = uniqueName('deleted');
    await dev.admin.createTopics({ topics: [{ topic }] });
    expect(await dev.admin.listTopics()).toContain(topic);
    await dev.admin.deleteTopics({ topics: [topic] });
    expect(await dev.admin.listTopics()).not.toContain(topic);
  });

  it('reports earliest and latest offsets per partition', async () => {
    const topic = uniqueName('offsets');
    await dev.admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const producer = dev.kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 0 },
        { value: 'c', partition: 1 },
      ],
    });
    await producer.disconnect();
    const offsets = await dev.admin.fetchTopicOffsets(topic);
    expect(offsets.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '2', high: '2', low: '0' },
      { partition: 1, offset: '1', high: '1', low: '0' },
    ]);
  });

  it('finds offsets by timestamp, record by record', async () => {
    const topic = uniqueName('by-time');
    await dev.admin.createTopics({ topics: [{ topic }] });
    const producer = dev.kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [1000, 2000, 3000].map((ts) => ({ value: `at-${ts}`, timestamp: String(ts) })),
    });
    await producer.send({ topic, messages: [{ value: 'at-4000', timestamp: '4000' }] });
    await producer.disconnect();
    expect(await dev.admin.fetchTopicOffsetsByTimestamp(topic, 2000)).toEqual([
      { partition: 0, offset: '1' },
    ]);
    expect(await dev.admin.fetchTopicOffsetsByTimestamp(topic, 3500)).toEqual([
      { partition: 0, offset: '3' },
    ]);
    expect(await dev.admin.fetchTopicOffsetsByTimestamp(topic, 9000)).toEqual([
      { partition: 0, offset: '4' },
    ]);
  });
});

describe('topic auto-creation', () => {
  it('creates a topic on first use with the default partition count', async () => {
    const broker = await startDevBroker({ defaultPartitions: 3, ...quiet });
    const kafka = kafkaFor(broker);
    const producer = kafka.producer();
    try {
      await producer.connect();
      const topic = uniqueName('auto');
      await producer.send({ topic, messages: [{ value: 'hello' }] });
      const admin = kafka.admin();
      await admin.connect();
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.disconnect();
      expect(metadata.topics[0].partitions).toHaveLength(3);
    } finally {
      await producer.disconnect();
      await broker.stop();
    }
  });

  it.each([
    ['is not done for a client that asks for no auto-creation', {}, { allowAutoTopicCreation: false }],
    [
      'when switched off, producing to an unknown topic fails with the reason',
      { autoCreateTopics: false },
      {},
    ],
  ])('%s', async (_case, brokerOptions, producerOptions) => {
    const broker = await startDevBroker({ ...brokerOptions, ...quiet });
    const producer = kafkaFor(broker, { retry: { retries: 1, initialRetryTime: 10 } }).producer(
      producerOptions,
    );
    try {
      await producer.connect();
      await expect(
        producer.send({ topic: uniqueName('missing'), messages: [{ value: 'x' }] }),
      ).rejects.toThrow(/does not host this topic-partition/);
    } finally {
      await producer.disconnect();
      await broker.stop();
    }
  });
});
