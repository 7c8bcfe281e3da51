import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes';
import type { Group, JoinRequest, Member } from './group';
import { joinError, syncError } from './group-replies';

/**
 * KIP-345 static membership: a group.instance.id names one member across process restarts. These
 * functions keep `group.staticMembers` in step with `group.members`; the rebalance protocol itself
 * stays in GroupMembership.
 */

/** A static member id that another join has since replaced: the old process must stop. */
export function isFencedInstance(
  group: Group,
  memberId: string,
  groupInstanceId: string | null | undefined,
): boolean {
  if (groupInstanceId === null || groupInstanceId === undefined) return false;
  const current = group.staticMembers.get(groupInstanceId);
  return current !== undefined && current !== memberId;
}

/** Why a join with a non-empty member id that was not handed out as pending cannot go on, if it cannot. */
export function knownMemberProblem(group: Group, memberId: string, instanceId: string | null): ErrorCode {
  if (isFencedInstance(group, memberId, instanceId)) return ErrorCode.FENCED_INSTANCE_ID;
  const unknownInstance = instanceId !== null && !group.staticMembers.has(instanceId);
  if (!group.members.has(memberId) || unknownInstance) return ErrorCode.UNKNOWN_MEMBER_ID;
  return ErrorCode.NONE;
}

export function staticMemberOf(group: Group, instanceId: string | null): Member | undefined {
  const memberId = instanceId === null ? undefined : group.staticMembers.get(instanceId);
  return memberId === undefined ? undefined : group.members.get(memberId);
}

/** The member a LeaveGroup names: by instance id when it has one (its member id may be empty). */
export function leavingMember(group: Group, memberId: string, instanceId: string | null): Member | ErrorCode {
  if (memberId !== '' && isFencedInstance(group, memberId, instanceId)) return ErrorCode.FENCED_INSTANCE_ID;
  const member = instanceId === null ? group.members.get(memberId) : staticMemberOf(group, instanceId);
  return member ?? ErrorCode.UNKNOWN_MEMBER_ID;
}

/**
 * A static member that came back (a restart) takes over its old identity, assignment included,
 * under a new member id; requests the old process still has parked are answered FENCED_INSTANCE_ID.
 */
export function replaceStaticMember(group: Group, previous: Member, request: JoinRequest): Member {
  const instanceId = previous.groupInstanceId as string;
  const member: Member = {
    ...previous,
    memberId: `${instanceId}-${randomUUID()}`,
    clientId: request.clientId,
    clientHost: request.clientHost,
    sessionTimeoutMs: request.sessionTimeoutMs,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs,
    awaitingJoin: undefined,
    awaitingSync: undefined,
    cancelSessionTimer: undefined,
  };
  previous.cancelSessionTimer?.();
  previous.awaitingJoin?.(joinError(previous.memberId, ErrorCode.FENCED_INSTANCE_ID));
  previous.awaitingSync?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
  group.members.delete(previous.memberId);
  group.members.set(member.memberId, member);
  group.staticMembers.set(instanceId, member.memberId);
  if (group.leaderId === previous.memberId) group.leaderId = member.memberId;
  return member;
}

export function forgetStaticMember(group: Group, member: Member): void {
  const instanceId = member.groupInstanceId;
  if (instanceId !== null && group.staticMembers.get(instanceId) === member.memberId)
    group.staticMembers.delete(instanceId);
}
