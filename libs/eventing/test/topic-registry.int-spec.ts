import type { DevBrokerHandle } from '@tradecore/dev-broker';
import type { Admin } from 'kafkajs';
import { ensureTopics, MissingTopicsError } from '../src/topics/topic-registry';
import { kafkaFor, startQuietBroker } from './eventing-test-kit';

describe('ensureTopics with the dev broker', () => {
  let broker: DevBrokerHandle;
  let admin: Admin;

  beforeEach(async () => {
    broker = await startQuietBroker({ autoCreateTopics: false });
    admin = kafkaFor(broker.brokers).admin();
    await admin.connect();
  });
  afterEach(async () => {
    await admin.disconnect();
    await broker.stop();
  });

  it('creates the owned topics and their DLQs with the declared partitions, once', async () => {
    const declarations = [
      { name: 'broker-account.events', partitions: 3, owned: true, retentionMs: 86_400_000 },
    ];
    expect(await ensureTopics(admin, declarations, 'broker-account')).toEqual({
      created: ['broker-account.events', 'broker-account.events.dlq'],
      grown: [],
    });
    const metadata = await admin.fetchTopicMetadata({
      topics: ['broker-account.events', 'broker-account.events.dlq'],
    });
    expect(metadata.topics.map((topic) => [topic.name, topic.partitions.length]).sort()).toEqual([
      ['broker-account.events', 3],
      ['broker-account.events.dlq', 3],
    ]);
    expect(await ensureTopics(admin, declarations, 'broker-account')).toEqual({ created: [], grown: [] });
  });

  it('names the consumed topics that do not exist instead of stalling', async () => {
    const declarations = [
      { name: 'broker-account.events', partitions: 1, owned: true },
      { name: 'broker-connection.events', partitions: 1, owned: false },
    ];
    const failure = ensureTopics(admin, declarations, 'broker-account');
    await expect(failure).rejects.toBeInstanceOf(MissingTopicsError);
    await expect(failure).rejects.toThrow(
      'topic(s) not found: broker-connection.events (consumed by broker-account)',
    );
  });

  it('grows an owned topic and its DLQ that exist with fewer partitions than declared', async () => {
    await admin.createTopics({
      topics: [
        { topic: 'user-account.events', numPartitions: 1 },
        { topic: 'user-account.events.dlq', numPartitions: 1 },
      ],
    });
    const result = await ensureTopics(
      admin,
      [{ name: 'user-account.events', partitions: 4, owned: true }],
      'user-account',
    );
    expect(result.grown).toEqual(['user-account.events: 1 → 4', 'user-account.events.dlq: 1 → 4']);
    const metadata = await admin.fetchTopicMetadata({
      topics: ['user-account.events', 'user-account.events.dlq'],
    });
    expect(metadata.topics.map((topic) => [topic.name, topic.partitions.length]).sort()).toEqual([
      ['user-account.events', 4],
      ['user-account.events.dlq', 4],
    ]);
  });

  it('leaves a topic with more partitions than declared as it is', async () => {
    await admin.createTopics({ topics: [{ topic: 'user-account.events', numPartitions: 6 }] });
    await ensureTopics(admin, [{ name: 'user-account.events', partitions: 3, owned: true }], 'user-account');
    const metadata = await admin.fetchTopicMetadata({ topics: ['user-account.events'] });
    expect(metadata.topics[0].partitions).toHaveLength(6);
  });
});
