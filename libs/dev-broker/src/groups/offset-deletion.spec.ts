import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { givenCoordinator, givenStableGroup, type Kit } from '../../test/support/group-coordinator-kit';

/** A member's metadata in the ConsumerProtocol subscription layout (version, topics, user data). */
function subscription(...topics: string[]): Buffer {
  return new Writer()
    .int16(0)
    .array(topics, (w, topic) => w.string(topic))
    .bytes(Buffer.alloc(0))
    .toBuffer();
}

function commitSimple(kit: Kit, topic: string, partition: number): void {
  kit.coordinator.offsets.commit({
    groupId: 'g',
    generationId: -1,
    memberId: '',
    topics: [{ topic, partitions: [{ partition, offset: 7n, metadata: null }] }],
  });
}

function committedOffset(kit: Kit, topic: string, partition: number): bigint {
  return kit.coordinator.offsets.fetch('g', [{ topic, partitions: [partition] }])[0].partitions[0].offset;
}

describe('deleting committed offsets (OffsetDelete)', () => {
  it('deletes the offsets of an empty group and answers UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist', () => {
    const kit = givenCoordinator();
    commitSimple(kit, 'orders', 0);
    commitSimple(kit, 'orders', 1);

    const deletion = kit.coordinator.offsets.deleteOffsets('g', [
      { topic: 'orders', partitions: [0, 3] },
      { topic: 'missing', partitions: [0] },
    ]);

    expect(deletion).toEqual({
      errorCode: ErrorCode.NONE,
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 0, errorCode: ErrorCode.NONE },
            { partition: 3, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
          ],
        },
        { topic: 'missing', partitions: [{ partition: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
      ],
    });
    expect(committedOffset(kit, 'orders', 0)).toBe(-1n);
    expect(committedOffset(kit, 'orders', 1)).toBe(7n);
  });

  it('removes an empty group once its last offset is deleted, so it is then not found', () => {
    const kit = givenCoordinator();
    commitSimple(kit, 'orders', 0);

    expect(kit.coordinator.offsets.deleteOffsets('g', [{ topic: 'orders', partitions: [0] }]).errorCode).toBe(
      ErrorCode.NONE,
    );

    expect(kit.coordinator.admin.list()).toEqual([]);
    expect(kit.coordinator.offsets.deleteOffsets('g', [{ topic: 'orders', partitions: [0] }])).toEqual({
      errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
      topics: [],
    });
  });

  it('refuses the topics an active consumer group subscribes to and deletes the others', async () => {
    const kit = givenCoordinator();
    commitSimple(kit, 'orders', 0);
    commitSimple(kit, 'audit', 0);
    await givenStableGroup(kit, ['a', 'b'], { metadata: subscription('orders') });

    const deletion = kit.coordinator.offsets.deleteOffsets('g', [
      { topic: 'orders', partitions: [0] },
      { topic: 'audit', partitions: [0] },
    ]);

    expect(deletion.topics).toEqual([
      { topic: 'orders', partitions: [{ partition: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
      { topic: 'audit', partitions: [{ partition: 0, errorCode: ErrorCode.NONE }] },
    ]);
    expect(committedOffset(kit, 'orders', 0)).toBe(7n);
    expect(committedOffset(kit, 'audit', 0)).toBe(-1n);
  });

  it('takes every topic as subscribed when the members’ metadata cannot be read', async () => {
    const kit = givenCoordinator();
    commitSimple(kit, 'audit', 0);
    await givenStableGroup(kit, ['a'], { metadata: Buffer.from('not a subscription') });

    expect(kit.coordinator.offsets.deleteOffsets('g', [{ topic: 'audit', partitions: [0] }]).topics).toEqual([
      { topic: 'audit', partitions: [{ partition: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
    ]);
  });

  it('refuses a whole request for an active group that is not a consumer group, and an empty group id', async () => {
    const kit = givenCoordinator();
    const joined = kit.coordinator.membership.join({
      groupId: 'g',
      memberId: '',
      clientId: 'worker',
      clientHost: '/127.0.0.1',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      protocolType: 'connect',
      protocols: [{ name: 'sessioned', metadata: Buffer.alloc(0) }],
    });
    kit.scheduler.advance(1_000);
    await joined;

    expect(kit.coordinator.offsets.deleteOffsets('g', [{ topic: 'orders', partitions: [0] }])).toEqual({
      errorCode: ErrorCode.NON_EMPTY_GROUP,
      topics: [],
    });
    expect(kit.coordinator.offsets.deleteOffsets('', [])).toEqual({
      errorCode: ErrorCode.INVALID_GROUP_ID,
      topics: [],
    });
  });
});
