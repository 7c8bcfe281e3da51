import { Partitioners, type PartitionAssigner, PartitionAssigners } from 'kafkajs';
import { recordEffect, useConsumerHarness, eventually } from '../../test/eventing-test-kit';
import { toKafkaRecord } from '../envelope/kafka-message';
import { MessageConsumer, type MessageHandler } from './message-consumer';

const TOPIC = 'lifecycle.events';
const GROUP = 'lifecycle-view';

/** Round robin under another name: a member using it shares no protocol with a MessageConsumer. */
const otherAssigner: PartitionAssigner = (config) => ({
  ...PartitionAssigners.roundRobin(config),
  name: 'OtherAssigner',
});

describe('MessageConsumer lifecycle against the dev broker', () => {
  const harness = useConsumerHarness([TOPIC]);
  const { stoppers, countEffects } = harness;

  const groupMembers = async (): Promise<string[]> => {
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([GROUP]);
      return groups[0].members.map((member) => member.memberId);
    } finally {
      await admin.disconnect();
    }
  };

  const publish = async (streamId: string): Promise<void> => {
    const [envelope] = (await harness.store.append(streamId, 'Tally', 0, [{ type: 'Added', payload: {} }]))
      .envelopes;
    const producer = harness.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: [toKafkaRecord(envelope)] });
    await producer.disconnect();
  };

  const messageConsumer = (
    onCrash: (error: Error) => void = () => undefined,
    handle: MessageHandler = recordEffect(harness.db.schema, GROUP),
  ) =>
    new MessageConsumer({
      ...harness.consumerOptions(GROUP, [TOPIC], handle),
      restartBackoff: { initialDelayMs: 20, maxDelayMs: 200 },
      onCrash,
    });

  it('restarts a consumer kafkajs gave up on, reporting it not running until it is back', async () => {
    // A member of the group whose assignment strategy it does not share makes every JoinGroup of the
    // MessageConsumer fail with INCONSISTENT_GROUP_PROTOCOL, which kafkajs does not retry or restart.
    const stranger = harness.kafka.consumer({ groupId: GROUP, partitionAssigners: [otherAssigner] });
    stoppers.push(() => stranger.disconnect());
    const strangerJoined = new Promise((resolve) => stranger.on(stranger.events.GROUP_JOIN, resolve));
    await stranger.connect();
    await stranger.subscribe({ topics: [TOPIC] });
    await stranger.run({ eachMessage: async () => undefined });
    await strangerJoined;
    const crashes: Error[] = [];
    const consumer = messageConsumer((error) => crashes.push(error));
    stoppers.push(() => consumer.stop());

    await consumer.start();
    expect(consumer.running).toBe(false);
    expect(crashes[0]).toMatchObject({ type: 'INCONSISTENT_GROUP_PROTOCOL' });

    await stranger.disconnect();
    await publish('after-the-stranger-left');
    await eventually(async () => (await countEffects()) === 1);
    expect(consumer.running).toBe(true);
  });

  it('leaves nothing in the group when stopped while it is still starting', async () => {
    const consumer = messageConsumer();
    const starting = consumer.start();
    await consumer.stop();
    await starting;

    expect(consumer.running).toBe(false);
    expect(await groupMembers()).toEqual([]);
  });

  it('stops for good when stopped while its join waits for another member, which then gets every message', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const busy: string[] = [];
    // A member busy in its handler neither heartbeats nor rejoins, so a rebalance waits for it.
    const other = harness.kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 50 });
    stoppers.push(() => other.disconnect());
    await other.connect();
    await other.subscribe({ topics: [TOPIC], fromBeginning: true });
    await other.run({
      eachMessage: async ({ message }) => {
        busy.push(JSON.parse(String(message.value)).streamId);
        await released;
      },
    });
    await publish('keeps-the-other-busy');
    await eventually(() => busy.length === 1);
    const [otherMember] = await groupMembers();
    let stopped = false;
    const handledAfterStop: string[] = [];
    const consumer = messageConsumer(undefined, async (envelope) => {
      if (stopped) handledAfterStop.push(envelope.streamId);
    });

    const starting = consumer.start();
    await eventually(async () => (await groupMembers()).length === 2);
    const stopping = consumer.stop();
    release();
    await Promise.all([starting, stopping]);
    stopped = true;
    await eventually(async () => (await groupMembers()).join() === otherMember);
    await publish('after-the-stop');
    await eventually(() => busy.includes('after-the-stop'));

    expect(await groupMembers()).toEqual([otherMember]);
    expect(handledAfterStop).toEqual([]);
  });
});
