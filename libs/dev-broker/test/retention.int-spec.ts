import { eventually } from '@tradecore/eventing/testing/eventually';
import { consume, uniqueName, useBrokerWithAdmin } from './support/kafka-fixture';

const HOUR_MS = 60 * 60 * 1000;

describe('retention by the topic configs', () => {
  const dev = useBrokerWithAdmin({ retentionCheckIntervalMs: 20 });

  async function createTopic(configEntries: { name: string; value: string }[]): Promise<string> {
    const topic = uniqueName('retained');
    await dev.admin.createTopics({ topics: [{ topic, configEntries }] });
    return topic;
  }

  /** One send per message, so each is its own batch (Kafka deletes whole segments, the dev broker whole batches). */
  async function produceOneByOne(topic: string, messages: { value: string; timestamp?: string }[]) {
    const producer = dev.kafka.producer();
    await producer.connect();
    for (const message of messages) await producer.send({ topic, messages: [message] });
    await producer.disconnect();
  }

  /**
   * Polls ListOffsets until the log start is `expected` (a check may run between two sends, so
   * it can pass through smaller values); the test's own timeout bounds the wait.
   */
  function logStartReaches(topic: string, expected: string): Promise<{ low: string; high: string }> {
    return eventually(
      async () => {
        const [{ low, high }] = await dev.admin.fetchTopicOffsets(topic);
        return Number(low) >= Number(expected) ? { low, high } : undefined;
      },
      Infinity,
      20,
    );
  }

  it('drops batches whose newest record is older than retention.ms', async () => {
    const topic = await createTopic([{ name: 'retention.ms', value: String(HOUR_MS) }]);
    const longAgo = String(Date.now() - 2 * HOUR_MS);
    await produceOneByOne(topic, [
      { value: 'old-1', timestamp: longAgo },
      { value: 'old-2', timestamp: longAgo },
      { value: 'fresh' },
    ]);
    expect(await logStartReaches(topic, '2')).toEqual({ low: '2', high: '3' });
  });

  it('drops the oldest batches while the log without them stays at or above retention.bytes', async () => {
    // As Kafka with segments, a batch goes only if the log stays at least retention.bytes
    // without it: of five batches of about 1.07 KB, 2500 bytes keeps the newest three.
    const topic = await createTopic([{ name: 'retention.bytes', value: '2500' }]);
    await produceOneByOne(
      topic,
      ['a', 'b', 'c', 'd', 'e'].map((letter) => ({ value: letter.repeat(1000) })),
    );
    expect(await logStartReaches(topic, '2')).toEqual({ low: '2', high: '5' });
  });

  it('starts a group whose committed offset fell below the log start from the earliest kept record', async () => {
    const topic = await createTopic([{ name: 'retention.ms', value: String(HOUR_MS) }]);
    const groupId = uniqueName('behind');
    await dev.admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] });
    const longAgo = String(Date.now() - 2 * HOUR_MS);
    await produceOneByOne(topic, [{ value: 'expired', timestamp: longAgo }, { value: 'kept' }]);
    expect(await logStartReaches(topic, '1')).toEqual({ low: '1', high: '2' });
    const received = await consume(dev.kafka, topic, 1, groupId);
    expect(received.map((r) => r.message.value?.toString())).toEqual(['kept']);
  });

  it("keeps what Kafka's default retention (7 days, no size limit) keeps", async () => {
    const topic = await createTopic([]);
    const sixDaysAgo = String(Date.now() - 6 * 24 * HOUR_MS);
    await produceOneByOne(topic, [{ value: 'six days old', timestamp: sixDaysAgo }]);
    // A topic whose retention is certain to act shows that checks have run since.
    const probe = await createTopic([{ name: 'retention.ms', value: '1' }]);
    await produceOneByOne(probe, [{ value: 'x', timestamp: '1000' }]);
    await logStartReaches(probe, '1');
    expect((await dev.admin.fetchTopicOffsets(topic))[0].low).toBe('0');
  });
});
