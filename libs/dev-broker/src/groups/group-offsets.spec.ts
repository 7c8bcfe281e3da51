import { ErrorCode } from '../protocol/error-codes';
import type { OffsetCommitRequest } from './group-offsets';
import {
  givenCoordinator,
  givenStableGroup,
  joinRequest,
  SESSION_TIMEOUT_MS,
} from '../../test/support/group-coordinator-kit';

function commit(overrides: Partial<OffsetCommitRequest> = {}, offset = 42n): OffsetCommitRequest {
  return {
    groupId: 'g',
    generationId: -1,
    memberId: '',
    topics: [{ topic: 'orders', partitions: [{ partition: 0, offset, metadata: 'why' }] }],
    ...overrides,
  };
}

function errorsOf(results: { partitions: { errorCode: number }[] }[]): number[] {
  return results.flatMap((topic) => topic.partitions.map((partition) => partition.errorCode));
}

describe('committed offsets', () => {
  it('accepts a simple commit for a group that does not exist and keeps negative offsets verbatim', () => {
    const { coordinator } = givenCoordinator();

    expect(errorsOf(coordinator.offsets.commit(commit({}, -2n)))).toEqual([ErrorCode.NONE]);

    expect(coordinator.offsets.fetch('g', [{ topic: 'orders', partitions: [0, 1] }])).toEqual([
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: -2n, leaderEpoch: -1, metadata: 'why', errorCode: ErrorCode.NONE },
          { partition: 1, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE },
        ],
      },
    ]);
    expect(coordinator.admin.describe('g').state).toBe('Empty');
  });

  it('refuses a simple commit while members own the group', async () => {
    const kit = givenCoordinator();
    await givenStableGroup(kit, ['a']);

    expect(errorsOf(kit.coordinator.offsets.commit(commit()))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
  });

  it('accepts commits of the current generation only, also while the group prepares a rebalance', async () => {
    const kit = givenCoordinator();
    const [a] = await givenStableGroup(kit, ['a']);
    const { offsets } = kit.coordinator;

    expect(errorsOf(offsets.commit(commit({ generationId: 1, memberId: a.memberId })))).toEqual([
      ErrorCode.NONE,
    ]);
    expect(errorsOf(offsets.commit(commit({ generationId: 0, memberId: a.memberId })))).toEqual([
      ErrorCode.ILLEGAL_GENERATION,
    ]);
    expect(errorsOf(offsets.commit(commit({ generationId: 1, memberId: 'ghost' })))).toEqual([
      ErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    void kit.coordinator.membership.join(joinRequest({ clientId: 'b' }));
    expect(errorsOf(offsets.commit(commit({ generationId: 1, memberId: a.memberId }, 43n)))).toEqual([
      ErrorCode.NONE,
    ]);
    void kit.coordinator.membership.join(joinRequest({ clientId: 'a', memberId: a.memberId }));
    expect(kit.coordinator.admin.describe('g').state).toBe('CompletingRebalance');
    expect(errorsOf(offsets.commit(commit({ generationId: 2, memberId: a.memberId }, 44n)))).toEqual([
      ErrorCode.REBALANCE_IN_PROGRESS,
    ]);
    expect(offsets.fetch('g', [{ topic: 'orders', partitions: [0] }])[0].partitions[0].offset).toBe(43n);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION per partition and stores the rest', () => {
    const { coordinator } = givenCoordinator();
    const request = commit({
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 3, offset: 1n, metadata: null },
            { partition: 2, offset: 5n, metadata: null },
          ],
        },
        { topic: 'nope', partitions: [{ partition: 0, offset: 1n, metadata: null }] },
      ],
    });

    expect(errorsOf(coordinator.offsets.commit(request))).toEqual([
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.NONE,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    expect(coordinator.offsets.fetch('g', null)).toEqual([
      {
        topic: 'orders',
        partitions: [{ partition: 2, offset: 5n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE }],
      },
    ]);
  });

  it('keeps a committing member alive like a heartbeat would', async () => {
    const kit = givenCoordinator();
    const [a] = await givenStableGroup(kit, ['a']);

    kit.scheduler.advance(SESSION_TIMEOUT_MS - 1);
    kit.coordinator.offsets.commit(commit({ generationId: 1, memberId: a.memberId }));
    kit.scheduler.advance(SESSION_TIMEOUT_MS - 1);

    expect(kit.coordinator.admin.describe('g').members.map((member) => member.memberId)).toEqual([
      a.memberId,
    ]);
  });
});

describe('group administration', () => {
  it('describes a stable group with its members, metadata and assignments, and a missing one as Dead', async () => {
    const kit = givenCoordinator();
    const [a] = await givenStableGroup(kit, ['a']);

    expect(kit.coordinator.admin.describe('g')).toEqual({
      errorCode: ErrorCode.NONE,
      groupId: 'g',
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'roundrobin',
      members: [
        {
          memberId: a.memberId,
          groupInstanceId: null,
          clientId: 'a',
          clientHost: '/127.0.0.1',
          metadata: Buffer.from('meta-a'),
          assignment: Buffer.from('assignment-a'),
        },
      ],
    });
    expect(kit.coordinator.admin.describe('other')).toMatchObject({
      errorCode: ErrorCode.NONE,
      state: 'Dead',
      members: [],
    });
    expect(kit.coordinator.admin.list()).toEqual([{ groupId: 'g', protocolType: 'consumer' }]);
  });

  it('deletes only empty groups, and their offsets with them', async () => {
    const kit = givenCoordinator();
    const [a] = await givenStableGroup(kit, ['a']);
    kit.coordinator.offsets.commit(commit({ generationId: 1, memberId: a.memberId }));

    expect(kit.coordinator.admin.delete('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    kit.coordinator.membership.leave('g', a.memberId);
    expect(kit.coordinator.admin.delete('g')).toBe(ErrorCode.NONE);

    expect(kit.coordinator.admin.delete('g')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(kit.coordinator.offsets.fetch('g', null)).toEqual([]);
    expect(kit.coordinator.admin.list()).toEqual([]);
  });
});
