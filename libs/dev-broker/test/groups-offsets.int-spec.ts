import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@tradecore/eventing/testing/eventually';
import type { Admin, Kafka } from 'kafkajs';
import { type DevBrokerHandle, startDevBroker } from '../src';
import { GROUP_WAIT_MS, type Handling, settledAssignments, startMember } from './support/group-members';
import { kafkaFor, quiet, uniqueName } from './support/kafka-fixture';

describe.each([1, 3])('committed offsets and group admin with kafkajs on a %i-node dev broker', (nodes) => {
  let dataDir: string;
  let broker: DevBrokerHandle;
  let kafka: Kafka;
  let admin: Admin;

  async function startBroker(): Promise<void> {
    broker = await startDevBroker({ nodes, dataDir, ...quiet });
    kafka = kafkaFor(broker);
    admin = kafka.admin();
    await admin.connect();
  }

  async function stopBroker(): Promise<void> {
    await admin.disconnect();
    await broker.stop();
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dev-broker-groups-'));
    await startBroker();
  });

  afterAll(async () => {
    await stopBroker();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function givenTopic(): Promise<string> {
    const topic = uniqueName('offsets');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    return topic;
  }

  async function produce(topic: string, prefix: string, count = 6): Promise<string[]> {
    const values = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % 3 })) });
    await producer.disconnect();
    return values;
  }

  /** Runs a member of the group until it handled `expected`, then stops it (committing on the way out). */
  async function consumeUntil(
    groupId: string,
    topic: string,
    expected: readonly string[],
  ): Promise<Handling[]> {
    const log: Handling[] = [];
    const member = await startMember(kafka, { name: 'reader', groupId, topic, log });
    try {
      await eventually(
        async () =>
          expected.every((value) => log.some((handling) => handling.value === value)) ? true : undefined,
        GROUP_WAIT_MS,
      );
    } finally {
      await member.consumer.disconnect();
    }
    return log;
  }

  async function committed(groupId: string, topic: string): Promise<string[]> {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets.partitions.sort((a, b) => a.partition - b.partition).map((partition) => partition.offset);
  }

  it('resumes from committed offsets after a consumer restart and after a broker restart', async () => {
    const topic = await givenTopic();
    const groupId = uniqueName('resume');
    await consumeUntil(groupId, topic, await produce(topic, 'first'));
    expect(await committed(groupId, topic)).toEqual(['2', '2', '2']);

    const second = await consumeUntil(groupId, topic, await produce(topic, 'second'));
    expect(second.map((handling) => handling.value).filter((value) => value.startsWith('first'))).toEqual([]);

    await stopBroker();
    await startBroker();
    expect(await committed(groupId, topic)).toEqual(['4', '4', '4']);
    const third = await consumeUntil(groupId, topic, await produce(topic, 'third'));
    expect(third.map((handling) => handling.value).filter((value) => !value.startsWith('third'))).toEqual([]);
  });

  it('rereads a partition after consumer.seek', async () => {
    const topic = await givenTopic();
    const groupId = uniqueName('seek');
    const log: Handling[] = [];
    const member = await startMember(kafka, { name: 'seeker', groupId, topic, log });
    try {
      const values = await produce(topic, 'seek');
      await eventually(async () => (log.length === values.length ? true : undefined), GROUP_WAIT_MS);

      member.consumer.seek({ topic, partition: 1, offset: '0' });
      await eventually(async () => (log.length === values.length + 2 ? true : undefined), GROUP_WAIT_MS);

      expect(log.slice(values.length).map((handling) => handling.value)).toEqual(['seek-1', 'seek-4']);
    } finally {
      await member.consumer.disconnect();
    }
  });

  it('moves committed offsets with admin.setOffsets and admin.resetOffsets, only while nobody consumes', async () => {
    const topic = await givenTopic();
    const groupId = uniqueName('reset');
    const values = await produce(topic, 'reset');
    await consumeUntil(groupId, topic, values);

    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 2, offset: '1' }] });
    expect(await committed(groupId, topic)).toEqual(['2', '2', '1']);
    expect((await consumeUntil(groupId, topic, ['reset-5'])).map((handling) => handling.value)).toEqual([
      'reset-5',
    ]);

    await admin.resetOffsets({ groupId, topic, earliest: true });
    expect(await committed(groupId, topic)).toEqual(['-2', '-2', '-2']);
    const reread = await consumeUntil(groupId, topic, values);
    expect(reread.map((handling) => handling.value).sort()).toEqual([...values].sort());

    const member = await startMember(kafka, { name: 'busy', groupId, topic, log: [] });
    try {
      await settledAssignments(admin, groupId, topic, [member]);
      await expect(
        admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] }),
      ).rejects.toThrow(/no running instances/);
    } finally {
      await member.consumer.disconnect();
    }
  });

  it('lists, describes and deletes groups, refusing to delete one with members', async () => {
    const topic = await givenTopic();
    const groupId = uniqueName('admin');
    const member = await startMember(kafka, { name: 'only', groupId, topic, log: [] });
    let stopped = false;
    try {
      await settledAssignments(admin, groupId, topic, [member]);
      const { groups } = await admin.listGroups();
      expect(groups).toContainEqual({ groupId, protocolType: 'consumer' });
      const {
        groups: [described],
      } = await admin.describeGroups([groupId]);
      expect(described).toMatchObject({
        groupId,
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'RoundRobinAssigner',
      });
      expect(described.members.map((m) => m.clientId)).toEqual(['dev-broker-test']);
      await expect(admin.deleteGroups([groupId])).rejects.toMatchObject({
        groups: [{ groupId, errorCode: 68 }],
      });

      await member.consumer.disconnect();
      stopped = true;
      expect((await admin.describeGroups([groupId])).groups[0].state).toBe('Empty');
      expect(await admin.deleteGroups([groupId])).toEqual([{ groupId, errorCode: 0 }]);

      expect(await committed(groupId, topic)).toEqual(['-1', '-1', '-1']);
      expect((await admin.listGroups()).groups.map((group) => group.groupId)).not.toContain(groupId);
      expect((await admin.describeGroups([groupId])).groups[0]).toMatchObject({ state: 'Dead', members: [] });
      await expect(admin.deleteGroups([groupId])).rejects.toMatchObject({
        groups: [{ groupId, errorCode: 69 }],
      });
    } finally {
      if (!stopped) await member.consumer.disconnect();
    }
  });
});
