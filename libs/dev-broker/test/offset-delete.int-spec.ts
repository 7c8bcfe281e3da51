import { type Admin, type Consumer } from 'kafkajs';
import { ErrorCode } from '../src/protocol/error-codes';
import { Writer } from '../src/protocol/writer';
import { createTopic, useFlexibleWire } from './support/flexible-wire';
import { kafkaFor, uniqueName } from './support/kafka-fixture';
import { ApiKey } from './support/raw-client';

/**
 * OffsetDelete v0 (KIP-496), which kafkajs 2.2.4 cannot send, over a raw client; the offsets it works on
 * are committed as a standalone consumer does (OffsetCommit v2, generation -1) and read back with kafkajs.
 */
describe('OffsetDelete over the wire', () => {
  const wire = useFlexibleWire();
  let admin: Admin;

  beforeAll(async () => {
    admin = kafkaFor(wire.broker).admin();
    await admin.connect();
  });

  afterAll(() => admin.disconnect());

  async function offsetDelete(groupId: string, topics: [string, number[]][]) {
    const body = await wire.client.request(
      ApiKey.OFFSET_DELETE,
      0,
      new Writer()
        .string(groupId)
        .array(topics, (w, [topic, partitions]) => w.string(topic).array(partitions, (p, n) => p.int32(n))),
    );
    const answer = {
      errorCode: body.int16(),
      throttleTimeMs: body.int32(),
      topics: body.array((t) => ({
        topic: t.string(),
        partitions: t.array((p) => [p.int32(), p.int16()]),
      })),
    };
    expect(body.remaining).toBe(0);
    return answer;
  }

  async function commit(groupId: string, topic: string, offset: number): Promise<void> {
    const body = await wire.client.request(
      ApiKey.OFFSET_COMMIT,
      2,
      new Writer()
        .string(groupId)
        .int32(-1)
        .string('')
        .int64(-1)
        .array([topic], (w, name) =>
          w.string(name).array([0], (p, n) => p.int32(n).int64(offset).string('')),
        ),
    );
    const [[[, errorCode]]] = body.array((t) => {
      t.string();
      return t.array((p) => [p.int32(), p.int16()]);
    });
    expect(errorCode).toBe(ErrorCode.NONE);
  }

  async function committed(groupId: string, topic: string): Promise<string> {
    const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return partitions[0].offset;
  }

  async function writeThreeRecords(topic: string): Promise<void> {
    const producer = kafkaFor(wire.broker).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.disconnect();
  }

  async function joinedConsumer(groupId: string, topic: string): Promise<Consumer> {
    const consumer = kafkaFor(wire.broker).consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic });
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.run({ eachMessage: async () => undefined });
    await joined;
    return consumer;
  }

  it('deletes the committed offsets of an empty group, and answers UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist', async () => {
    const groupId = uniqueName('offset-delete');
    const topic = uniqueName('offset-delete-topic');
    await createTopic(wire.broker, topic, 2);
    await commit(groupId, topic, 7);

    expect(await offsetDelete(groupId, [[topic, [0, 2]]])).toEqual({
      errorCode: ErrorCode.NONE,
      throttleTimeMs: 0,
      topics: [
        {
          topic,
          partitions: [
            [0, ErrorCode.NONE],
            [2, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
          ],
        },
      ],
    });
    expect(await committed(groupId, topic)).toBe('-1');
  });

  it('refuses the partitions of a topic an active group consumes (GROUP_SUBSCRIBED_TO_TOPIC) and deletes the others', async () => {
    const groupId = uniqueName('offset-delete-active');
    const [consumed, abandoned] = [uniqueName('consumed'), uniqueName('abandoned')];
    await createTopic(wire.broker, consumed);
    await createTopic(wire.broker, abandoned);
    // Offset 3 must be inside the log: a consumer fetching past its end resets and commits the
    // reset position (kafkajs commits -1, "latest") — a race with the reads below.
    await writeThreeRecords(consumed);
    for (const topic of [consumed, abandoned]) await commit(groupId, topic, 3);
    const consumer = await joinedConsumer(groupId, consumed);
    try {
      const answer = await offsetDelete(groupId, [
        [consumed, [0]],
        [abandoned, [0]],
      ]);
      expect(answer.errorCode).toBe(ErrorCode.NONE);
      expect(answer.topics).toEqual([
        { topic: consumed, partitions: [[0, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC]] },
        { topic: abandoned, partitions: [[0, ErrorCode.NONE]] },
      ]);
      expect(await committed(groupId, consumed)).toBe('3');
      expect(await committed(groupId, abandoned)).toBe('-1');
    } finally {
      await consumer.disconnect();
    }
    expect((await offsetDelete(groupId, [[consumed, [0]]])).topics).toEqual([
      { topic: consumed, partitions: [[0, ErrorCode.NONE]] },
    ]);
    expect(await committed(groupId, consumed)).toBe('-1');
  });

  it('answers GROUP_ID_NOT_FOUND, with no partitions, for a group without offsets or members', async () => {
    const topic = uniqueName('offset-delete-unknown');
    await createTopic(wire.broker, topic);

    expect(await offsetDelete(uniqueName('no-such-group'), [[topic, [0]]])).toEqual({
      errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
      throttleTimeMs: 0,
      topics: [],
    });
  });
});
