import { ErrorCode } from '../protocol/error-codes';
import {
  flush,
  givenCoordinator,
  givenStableGroup,
  INITIAL_DELAY_MS,
  joinRequest,
  REBALANCE_TIMEOUT_MS,
  SESSION_TIMEOUT_MS,
  track,
} from '../../test/support/group-coordinator-kit';

describe('group membership', () => {
  it('completes a join into an empty group after the initial delay, making the joiner leader', async () => {
    const { scheduler, coordinator } = givenCoordinator();

    const join = track(coordinator.membership.join(joinRequest({ clientId: 'a' })));
    await flush();
    expect(join.settled).toBe(false);
    scheduler.advance(INITIAL_DELAY_MS);
    await flush();

    const result = join.value!;
    expect(result.errorCode).toBe(ErrorCode.NONE);
    expect(result.generationId).toBe(1);
    expect(result.memberId).toMatch(/^a-[0-9a-f-]{36}$/);
    expect(result.leaderId).toBe(result.memberId);
    expect(result.protocol).toBe('roundrobin');
    expect(result.members).toEqual([
      { memberId: result.memberId, groupInstanceId: null, metadata: Buffer.from('meta-a') },
    ]);
    expect(coordinator.admin.describe('g').state).toBe('CompletingRebalance');
  });

  it('keeps the first rebalance open while members keep arriving, so they share one generation', async () => {
    const { scheduler, coordinator } = givenCoordinator();

    const joinA = track(coordinator.membership.join(joinRequest({ clientId: 'a' })));
    scheduler.advance(INITIAL_DELAY_MS - 1);
    const joinB = track(coordinator.membership.join(joinRequest({ clientId: 'b' })));
    scheduler.advance(1);
    await flush();
    expect(joinA.settled).toBe(false);
    scheduler.advance(INITIAL_DELAY_MS);
    await flush();

    expect(joinA.value?.generationId).toBe(1);
    expect(joinB.value?.generationId).toBe(1);
    expect(joinA.value?.members).toHaveLength(2);
  });

  it('rebalances when a second member joins a stable group and gives both the new generation', async () => {
    const kit = givenCoordinator();
    const [a] = await givenStableGroup(kit, ['a']);

    const joinB = track(kit.coordinator.membership.join(joinRequest({ clientId: 'b' })));
    await flush();
    expect(kit.coordinator.admin.describe('g').state).toBe('PreparingRebalance');
    expect(
      kit.coordinator.membership.heartbeat({ groupId: 'g', memberId: a.memberId, generationId: 1 }),
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(joinB.settled).toBe(false);
    const rejoinA = await kit.coordinator.membership.join(
      joinRequest({ clientId: 'a', memberId: a.memberId }),
    );
    await flush();

    expect(rejoinA.generationId).toBe(2);
    expect(joinB.value?.generationId).toBe(2);
    expect(rejoinA.leaderId).toBe(a.memberId);
    expect(rejoinA.members.map((member) => member.metadata.toString())).toEqual(['meta-a', 'meta-b']);
    expect(joinB.value?.members).toEqual([]);
  });

  it('parks a follower in SyncGroup until the leader brings assignments, members without one get empty bytes', async () => {
    const { scheduler, coordinator } = givenCoordinator();
    const joins = [
      coordinator.membership.join(joinRequest({ clientId: 'a' })),
      coordinator.membership.join(joinRequest({ clientId: 'b' })),
    ];
    scheduler.advance(INITIAL_DELAY_MS * 2);
    const [a, b] = await Promise.all(joins);

    const followerSync = track(
      coordinator.membership.sync({ groupId: 'g', generationId: 1, memberId: b.memberId, assignments: [] }),
    );
    await flush();
    expect(followerSync.settled).toBe(false);
    const leaderSync = await coordinator.membership.sync({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      assignments: [{ memberId: a.memberId, assignment: Buffer.from('all of it') }],
    });
    await flush();

    expect(leaderSync).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('all of it') });
    expect(followerSync.value).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.alloc(0) });
    expect(coordinator.admin.describe('g').state).toBe('Stable');
  });

  it('evicts a member that does not heartbeat within its session timeout and rebalances the rest', async () => {
    const kit = givenCoordinator();
    const [a, b] = await givenStableGroup(kit, ['a', 'b']);

    kit.scheduler.advance(SESSION_TIMEOUT_MS - 1);
    expect(
      kit.coordinator.membership.heartbeat({ groupId: 'g', memberId: a.memberId, generationId: 1 }),
    ).toBe(ErrorCode.NONE);
    kit.scheduler.advance(1);

    expect(
      kit.coordinator.membership.heartbeat({ groupId: 'g', memberId: b.memberId, generationId: 1 }),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(
      kit.coordinator.membership.heartbeat({ groupId: 'g', memberId: a.memberId, generationId: 1 }),
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = await kit.coordinator.membership.join(
      joinRequest({ clientId: 'a', memberId: a.memberId }),
    );
    expect(rejoin.generationId).toBe(2);
    expect(rejoin.members.map((member) => member.memberId)).toEqual([a.memberId]);
  });

  it('evicts members that keep heartbeating but do not rejoin within the rebalance timeout', async () => {
    const kit = givenCoordinator();
    const [a, b] = await givenStableGroup(kit, ['a', 'b']);
    const heartbeatB = () =>
      kit.coordinator.membership.heartbeat({ groupId: 'g', memberId: b.memberId, generationId: 1 });

    const joinC = track(kit.coordinator.membership.join(joinRequest({ clientId: 'c' })));
    const rejoinA = track(
      kit.coordinator.membership.join(joinRequest({ clientId: 'a', memberId: a.memberId })),
    );
    for (let elapsed = 0; elapsed < REBALANCE_TIMEOUT_MS - 5_000; elapsed += 5_000) {
      kit.scheduler.advance(5_000);
      expect(heartbeatB()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    kit.scheduler.advance(4_999);
    await flush();
    expect(rejoinA.settled).toBe(false);
    kit.scheduler.advance(1);
    await flush();

    expect(joinC.value?.generationId).toBe(2);
    expect(rejoinA.value?.members.map((member) => member.memberId)).toEqual([
      a.memberId,
      joinC.value?.memberId,
    ]);
    expect(heartbeatB()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('rebalances when a member leaves, and the group is Empty once the last one left', async () => {
    const kit = givenCoordinator();
    const [a, b] = await givenStableGroup(kit, ['a', 'b']);

    expect(kit.coordinator.membership.leave('g', a.memberId)).toBe(ErrorCode.NONE);
    expect(kit.coordinator.admin.describe('g').state).toBe('PreparingRebalance');
    const rejoinB = await kit.coordinator.membership.join(
      joinRequest({ clientId: 'b', memberId: b.memberId }),
    );
    expect(rejoinB.leaderId).toBe(b.memberId);
    expect(kit.coordinator.membership.leave('g', b.memberId)).toBe(ErrorCode.NONE);

    expect(kit.coordinator.admin.describe('g')).toMatchObject({ state: 'Empty', members: [] });
    expect(kit.coordinator.membership.leave('g', b.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers members parked in SyncGroup with REBALANCE_IN_PROGRESS when another member leaves', async () => {
    const { scheduler, coordinator } = givenCoordinator();
    const joins = ['a', 'b', 'c'].map((clientId) => coordinator.membership.join(joinRequest({ clientId })));
    scheduler.advance(INITIAL_DELAY_MS * 2);
    const [, b, c] = await Promise.all(joins);

    const parked = track(
      coordinator.membership.sync({ groupId: 'g', generationId: 1, memberId: b.memberId, assignments: [] }),
    );
    coordinator.membership.leave('g', c.memberId);
    await flush();

    expect(parked.value?.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('answers stale, unknown and mid-rebalance requests with the errors that make clients rejoin', async () => {
    const kit = givenCoordinator();
    const { membership } = kit.coordinator;
    const joins = [
      membership.join(joinRequest({ clientId: 'a' })),
      membership.join(joinRequest({ clientId: 'b' })),
    ];
    kit.scheduler.advance(INITIAL_DELAY_MS * 2);
    const [a, b] = await Promise.all(joins);

    expect(membership.heartbeat({ groupId: 'g', memberId: b.memberId, generationId: 1 })).toBe(
      ErrorCode.NONE,
    );
    expect(membership.heartbeat({ groupId: 'g', memberId: b.memberId, generationId: 0 })).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    expect(membership.heartbeat({ groupId: 'g', memberId: 'ghost', generationId: 1 })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(
      (await membership.sync({ groupId: 'g', generationId: 7, memberId: a.memberId, assignments: [] }))
        .errorCode,
    ).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(
      (await membership.sync({ groupId: 'g', generationId: 1, memberId: 'ghost', assignments: [] }))
        .errorCode,
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await membership.join(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );

    void membership.join(joinRequest({ clientId: 'c' }));
    expect(
      (await membership.sync({ groupId: 'g', generationId: 1, memberId: b.memberId, assignments: [] }))
        .errorCode,
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('rejects a joiner that shares no protocol or protocol type with the group', async () => {
    const kit = givenCoordinator();
    await givenStableGroup(kit, ['a']);

    const otherProtocol = joinRequest({
      clientId: 'b',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    });
    const otherType = joinRequest({ clientId: 'c', protocolType: 'connect' });

    expect((await kit.coordinator.membership.join(otherProtocol)).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect((await kit.coordinator.membership.join(otherType)).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect(kit.coordinator.admin.describe('g').state).toBe('Stable');
  });

  it('chooses the protocol most members prefer among those all of them support', async () => {
    const { scheduler, coordinator } = givenCoordinator();
    const protocols = (...names: string[]) => names.map((name) => ({ name, metadata: Buffer.from(name) }));
    const joins = [
      coordinator.membership.join(
        joinRequest({ clientId: 'a', protocols: protocols('sticky', 'range', 'roundrobin') }),
      ),
      coordinator.membership.join(
        joinRequest({ clientId: 'b', protocols: protocols('roundrobin', 'range') }),
      ),
      coordinator.membership.join(
        joinRequest({ clientId: 'c', protocols: protocols('range', 'roundrobin') }),
      ),
    ];
    scheduler.advance(INITIAL_DELAY_MS * 2);
    const [leader] = await Promise.all(joins);

    expect(leader.protocol).toBe('range');
    expect(leader.members.map((member) => member.metadata.toString())).toEqual(['range', 'range', 'range']);
  });
});
