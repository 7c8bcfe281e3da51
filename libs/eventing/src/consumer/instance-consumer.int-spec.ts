import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { type Kafka } from 'kafkajs';
import { brokerWithTopics, eventually } from '../../test/eventing-test-kit';
import type { Envelope } from '../envelope/envelope';
import { toKafkaRecord } from '../envelope/kafka-message';
import { InstanceConsumer, isInstanceGroup } from './instance-consumer';

const TOPIC = 'sessions.events';
const HOUR = 3_600_000;

const envelope = (messageId: string): Envelope => ({
  messageId,
  type: 'SessionEnded',
  schemaVersion: 1,
  streamId: messageId,
  streamVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId: messageId,
  causationId: null,
  payload: {},
});

describe('InstanceConsumer against the dev broker', () => {
  let broker: DevBrokerHandle;
  let kafka: Kafka;
  const consumers: InstanceConsumer[] = [];

  const publish = async (messageId: string, at: number): Promise<void> => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPIC,
      messages: [{ ...toKafkaRecord(envelope(messageId)), timestamp: String(at) }],
    });
    await producer.disconnect();
  };

  const startInstance = async (seen: string[]) => {
    const consumer = new InstanceConsumer({
      kafka,
      groupPrefix: 'sessions-view',
      topics: [TOPIC],
      replaySince: () => Date.now() - HOUR,
      handle: (message) => void seen.push(message.messageId),
      onProblem: () => undefined,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  };

  const withAdmin = async <T>(use: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  };
  const listGroups = () =>
    withAdmin(async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId));
  const describeGroup = (groupId: string) =>
    withAdmin(async (admin) => (await admin.describeGroups([groupId])).groups[0]);

  beforeAll(async () => {
    ({ broker, kafka } = await brokerWithTopics([TOPIC], 3));
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await broker.stop();
  });

  it('given messages from before and within the replay window, each instance reads those within it, then every new one', async () => {
    await publish('too-old', Date.now() - 2 * HOUR);
    await publish('recent', Date.now() - HOUR / 2);
    const [first, second]: string[][] = [[], []];
    const instances = [await startInstance(first), await startInstance(second)];
    await eventually(() => first.includes('recent') && second.includes('recent'));

    await publish('new', Date.now());
    await eventually(() => first.includes('new') && second.includes('new'));

    expect([...first, ...second]).not.toContain('too-old');
    expect(instances[0].groupId).not.toBe(instances[1].groupId);
    expect(instances.every((instance) => isInstanceGroup(instance.groupId))).toBe(true);
    expect(instances.every((instance) => instance.running)).toBe(true);
  });

  it('given groups left by killed instances, the next instance deletes them and leaves live ones alone', async () => {
    const killed = ['0', '1'].map(
      (digit) => `sessions-view.instance-${digit.repeat(8)}-0000-0000-0000-000000000000`,
    );
    for (const groupId of killed) {
      // A killed process: the group has committed nothing but exists, with its member gone.
      const consumer = kafka.consumer({ groupId });
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC });
      await consumer.run({ eachMessage: async () => undefined });
      await eventually(async () => (await describeGroup(groupId)).state === 'Stable');
      await consumer.disconnect();
    }
    const live = await startInstance([]);

    const groups = await listGroups();
    expect(groups.filter((groupId) => killed.includes(groupId))).toEqual([]);
    expect(consumers.map((consumer) => groups.includes(consumer.groupId))).toEqual([true, true, true]);
    expect(live.running).toBe(true);
  });
});
