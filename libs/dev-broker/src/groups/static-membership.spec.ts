import { ErrorCode } from '../protocol/error-codes';
import {
  flush,
  givenCoordinator,
  givenStableGroup,
  INITIAL_DELAY_MS,
  joinRequest,
  SESSION_TIMEOUT_MS,
  track,
} from '../../test/support/group-coordinator-kit';

describe('static membership (KIP-345) and member ids handed out first (JoinGroup v4+)', () => {
  it('gives a restarted static member its assignment back without a rebalance and fences its old id', async () => {
    const kit = givenCoordinator();
    const [a, b] = await givenStableGroup(kit, ['a', 'b'], { staticMembers: true });

    const rejoin = await kit.coordinator.membership.join(
      joinRequest({ clientId: 'b', groupInstanceId: 'instance-b', requireKnownMemberId: true }),
    );
    const sync = await kit.coordinator.membership.sync({
      groupId: 'g',
      generationId: rejoin.generationId,
      memberId: rejoin.memberId,
      groupInstanceId: 'instance-b',
      assignments: [],
    });

    expect(rejoin.errorCode).toBe(ErrorCode.NONE);
    expect(rejoin.generationId).toBe(1);
    expect(rejoin.memberId).toMatch(/^instance-b-/);
    expect(rejoin.memberId).not.toBe(b.memberId);
    expect(rejoin.leaderId).toBe(a.leaderId);
    expect(sync).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('assignment-b') });
    expect(kit.coordinator.admin.describe('g').state).toBe('Stable');
    expect(
      kit.coordinator.membership.heartbeat({
        groupId: 'g',
        memberId: b.memberId,
        generationId: 1,
        groupInstanceId: 'instance-b',
      }),
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(
      kit.coordinator.membership.heartbeat({ groupId: 'g', memberId: a.memberId, generationId: 1 }),
    ).toBe(ErrorCode.NONE);
  });

  it('rebalances once a static member stays away past its session timeout', async () => {
    const kit = givenCoordinator();
    const [a] = await givenStableGroup(kit, ['a', 'b'], { staticMembers: true });

    kit.scheduler.advance(SESSION_TIMEOUT_MS - 1);
    kit.coordinator.membership.heartbeat({ groupId: 'g', memberId: a.memberId, generationId: 1 });
    kit.scheduler.advance(1);

    expect(kit.coordinator.admin.describe('g').state).toBe('PreparingRebalance');
    expect(kit.coordinator.admin.describe('g').members.map((m) => m.groupInstanceId)).toEqual(['instance-a']);
  });

  it('lets a static member leave by its instance id alone, and refuses a stale member id for it', async () => {
    const kit = givenCoordinator();
    const [, b] = await givenStableGroup(kit, ['a', 'b'], { staticMembers: true });

    expect(kit.coordinator.membership.leave('g', 'someone-else', 'instance-b')).toBe(
      ErrorCode.FENCED_INSTANCE_ID,
    );
    expect(kit.coordinator.membership.leave('g', '', 'instance-b')).toBe(ErrorCode.NONE);
    expect(kit.coordinator.membership.leave('g', b.memberId, 'instance-b')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(kit.coordinator.admin.describe('g').members.map((m) => m.groupInstanceId)).toEqual(['instance-a']);
  });

  it('answers a new dynamic member MEMBER_ID_REQUIRED with its id, and admits it when it joins with that id', async () => {
    const { scheduler, coordinator } = givenCoordinator();

    const first = await coordinator.membership.join(
      joinRequest({ clientId: 'a', requireKnownMemberId: true }),
    );
    const second = track(
      coordinator.membership.join(
        joinRequest({ clientId: 'a', memberId: first.memberId, requireKnownMemberId: true }),
      ),
    );
    scheduler.advance(INITIAL_DELAY_MS);
    await flush();

    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^a-/);
    expect(second.value).toMatchObject({
      errorCode: ErrorCode.NONE,
      memberId: first.memberId,
      generationId: 1,
    });
  });

  it('forgets a handed-out member id nobody joined with after a session timeout', async () => {
    const { scheduler, coordinator } = givenCoordinator();
    const first = await coordinator.membership.join(
      joinRequest({ clientId: 'a', requireKnownMemberId: true }),
    );
    scheduler.advance(SESSION_TIMEOUT_MS);

    const late = await coordinator.membership.join(
      joinRequest({ clientId: 'a', memberId: first.memberId, requireKnownMemberId: true }),
    );

    expect(late.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});
