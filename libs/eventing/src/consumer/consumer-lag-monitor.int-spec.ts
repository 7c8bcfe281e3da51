import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { type Kafka } from 'kafkajs';
import { brokerWithTopics } from '../../test/eventing-test-kit';
import type { PartitionLag } from './consumer-lag';
import { ConsumerLagMonitor } from './consumer-lag-monitor';

const TOPIC = 'orders.events';
const GROUP = 'orders-view';

describe('ConsumerLagMonitor against the dev broker', () => {
  let broker: DevBrokerHandle;
  let kafka: Kafka;
  let monitor: ConsumerLagMonitor;
  const problems: string[] = [];

  const lagOf = (lags: readonly PartitionLag[]) =>
    lags.filter((lag) => lag.partition === 0).map(({ messages }) => messages)[0];

  beforeAll(async () => {
    ({ broker, kafka } = await brokerWithTopics([TOPIC]));
    monitor = new ConsumerLagMonitor({
      kafka,
      groups: () => [{ group: GROUP, topics: [TOPIC] }],
      intervalMs: 0,
      report: () => undefined,
      onProblem: (message) => void problems.push(message),
    });
  });

  afterAll(async () => {
    await monitor.stop();
    await broker.stop();
  });

  it('counts what a group has not committed, from the log start before its first commit, and dates it', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPIC,
      messages: Array.from({ length: 5 }, (_, i) => ({ value: `m${i}` })),
    });
    expect(lagOf(await monitor.poll())).toBe(5);

    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId: GROUP, topic: TOPIC, partitions: [{ partition: 0, offset: '3' }] });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const [partial] = await monitor.poll();
    expect(partial).toMatchObject({ group: GROUP, topic: TOPIC, partition: 0, messages: 2 });
    expect(partial.seconds).toBeGreaterThanOrEqual(1);

    await admin.setOffsets({ groupId: GROUP, topic: TOPIC, partitions: [{ partition: 0, offset: '5' }] });
    await admin.disconnect();
    await producer.disconnect();
    expect(await monitor.poll()).toEqual([
      { group: GROUP, topic: TOPIC, partition: 0, messages: 0, seconds: 0 },
    ]);
    expect(problems).toEqual([]);
  });

  it('reports a consumed topic missing from the broker instead of failing the round, and measures the rest', async () => {
    const present: Map<string, boolean>[] = [];
    const watching = new ConsumerLagMonitor({
      kafka,
      groups: () => [{ group: GROUP, topics: [TOPIC, 'orders.nowhere'] }],
      intervalMs: 0,
      report: () => undefined,
      reportTopics: (topics) => void present.push(new Map(topics)),
      onProblem: (message) => void problems.push(message),
    });
    try {
      const lags = await watching.poll();
      expect(lags.map(({ topic }) => topic)).toEqual([TOPIC]);
      expect(present).toEqual([
        new Map([
          [TOPIC, true],
          ['orders.nowhere', false],
        ]),
      ]);
      expect(problems).toEqual([]);
    } finally {
      await watching.stop();
    }
  });
});
