import { eventually } from '@tradecore/eventing/testing/eventually';
import { uniqueName, useBrokerWithAdmin } from './support/kafka-fixture';
import {
  GROUP_WAIT_MS,
  type Handling,
  overlappingHandlings,
  settledAssignments,
  startChildMember,
  startMember,
} from './support/group-members';

describe.each([1, 3])('consumer groups with kafkajs on a %i-node dev broker', (nodes) => {
  const dev = useBrokerWithAdmin({ nodes });
  const stops: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  async function givenTopic(): Promise<string> {
    const topic = uniqueName('grouped');
    await dev.admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    return topic;
  }

  async function member(name: string, groupId: string, topic: string, log: Handling[], handleMs = 0) {
    const started = await startMember(dev.kafka, { name, groupId, topic, log, handleMs });
    stops.push(() => started.consumer.disconnect());
    return started;
  }

  async function produce(topic: string, values: readonly string[]): Promise<void> {
    const producer = dev.kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % 3 })) });
    await producer.disconnect();
  }

  const valuesHandled = (log: readonly Handling[]) => new Set(log.map((handling) => handling.value));
  const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

  it('splits the partitions between two members, each handling only its own', async () => {
    const topic = await givenTopic();
    const groupId = uniqueName('split');
    const log: Handling[] = [];
    const a = await member('a', groupId, topic, log);
    const b = await member('b', groupId, topic, log);

    const assignments = await settledAssignments(dev.admin, groupId, topic, [a, b]);
    const values = range('split', 30);
    await produce(topic, values);
    await eventually(
      async () => (valuesHandled(log).size === values.length ? true : undefined),
      GROUP_WAIT_MS,
    );

    expect([...assignments.get('a')!, ...assignments.get('b')!].sort()).toEqual([0, 1, 2]);
    expect(assignments.get('a')!.length).toBeGreaterThan(0);
    expect(assignments.get('b')!.length).toBeGreaterThan(0);
    for (const handling of log) expect(assignments.get(handling.member)).toContain(handling.partition);
  });

  it('reassigns all partitions when a third member joins', async () => {
    const topic = await givenTopic();
    const groupId = uniqueName('third');
    const log: Handling[] = [];
    const a = await member('a', groupId, topic, log);
    const b = await member('b', groupId, topic, log);
    await settledAssignments(dev.admin, groupId, topic, [a, b]);

    const c = await member('c', groupId, topic, log);
    const assignments = await settledAssignments(dev.admin, groupId, topic, [a, b, c]);
    log.length = 0;
    const values = range('third', 30);
    await produce(topic, values);
    await eventually(
      async () => (valuesHandled(log).size === values.length ? true : undefined),
      GROUP_WAIT_MS,
    );

    expect([...assignments.values()].map((partitions) => partitions.length)).toEqual([1, 1, 1]);
    expect([...assignments.values()].flat().sort()).toEqual([0, 1, 2]);
    for (const handling of log) expect(assignments.get(handling.member)).toContain(handling.partition);
  });

  it('moves the partitions of a crashed member to the others after its session timeout, losing nothing', async () => {
    const topic = await givenTopic();
    const groupId = uniqueName('crash');
    const log: Handling[] = [];
    const crashing = startChildMember(dev.broker.brokers, {
      name: 'crashing',
      groupId,
      topic,
      log,
      handleMs: 20,
    });
    stops.push(() => void crashing.kill());
    await eventually(async () => crashing.memberId, GROUP_WAIT_MS);
    const survivor = await member('survivor', groupId, topic, log, 20);
    const before = await settledAssignments(dev.admin, groupId, topic, [crashing, survivor]);
    expect(before.get('crashing')!.length).toBeGreaterThan(0);

    const values = range('crash', 60);
    await produce(topic, values);
    await eventually(
      async () => (log.some((handling) => handling.member === 'crashing') ? true : undefined),
      GROUP_WAIT_MS,
    );
    crashing.kill();
    const after = await settledAssignments(dev.admin, groupId, topic, [survivor]);
    await eventually(
      async () => (valuesHandled(log).size === values.length ? true : undefined),
      GROUP_WAIT_MS,
    );

    expect(after.get('survivor')).toEqual([0, 1, 2]);
    expect(valuesHandled(log)).toEqual(new Set(values));
    expect(overlappingHandlings(log)).toEqual([]);
    const survivorPartitions = new Set(log.filter((h) => h.member === 'survivor').map((h) => h.partition));
    for (const partition of before.get('crashing')!) expect(survivorPartitions).toContain(partition);
  });
});
