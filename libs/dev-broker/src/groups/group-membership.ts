import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes';
import { GroupRebalance } from './group-rebalance';
import type { Scheduler } from './scheduler';
import {
  assertNever,
  type Group,
  type GroupProtocol,
  type JoinRequest,
  type JoinResult,
  type Member,
  type MemberRef,
  type SyncRequest,
  type SyncResult,
  newGroup,
  sameProtocols,
  supportsProtocols,
} from './group';
import { EMPTY, joinError, joinResponse, syncError } from './group-replies';
import {
  isFencedInstance,
  knownMemberProblem,
  leavingMember,
  replaceStaticMember,
  staticMemberOf,
} from './static-members';

export interface MembershipConfig {
  /** Kafka's group.initial.rebalance.delay.ms: how long a rebalance out of Empty waits for more members. */
  readonly initialRebalanceDelayMs: number;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
}

/**
 * Apache Kafka's consumer-group membership protocol: a group only leaves PreparingRebalance once every
 * known member rejoined or the rebalance timeout evicted it, so no two generations overlap.
 */
export class GroupMembership {
  private readonly rebalance: GroupRebalance;

  constructor(
    private readonly groups: Map<string, Group>,
    private readonly scheduler: Scheduler,
    private readonly config: MembershipConfig,
  ) {
    this.rebalance = new GroupRebalance(scheduler, config.initialRebalanceDelayMs);
  }

  join(request: JoinRequest): Promise<JoinResult> {
    const { groupId, memberId } = request;
    const instanceId = request.groupInstanceId ?? null;
    if (groupId === '') return Promise.resolve(joinError(memberId, ErrorCode.INVALID_GROUP_ID));
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.config;
    if (request.sessionTimeoutMs < minSessionTimeoutMs || request.sessionTimeoutMs > maxSessionTimeoutMs) {
      return Promise.resolve(joinError(memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    let group = this.groups.get(groupId);
    if (!group) {
      if (memberId !== '') return Promise.resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = newGroup(groupId);
    }
    if (!supportsProtocols(group, request.protocolType, request.protocols)) {
      return Promise.resolve(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (memberId !== '' && !group.pendingMembers.has(memberId)) {
      const problem = knownMemberProblem(group, memberId, instanceId);
      if (problem !== ErrorCode.NONE) return Promise.resolve(joinError(memberId, problem));
    }
    this.groups.set(groupId, group);

    const result = this.joinAs(group, request, instanceId);
    if (group.state === 'PreparingRebalance') this.rebalance.tryCompleteJoin(group);
    return result;
  }

  private joinAs(group: Group, request: JoinRequest, instanceId: string | null): Promise<JoinResult> {
    const known = group.members.get(request.memberId);
    if (known) {
      if (this.canAnswerFromCurrentGeneration(group, known, request.protocols)) {
        this.rebalance.touch(group, known);
        return Promise.resolve(joinResponse(group, known));
      }
      return this.updateMemberAndRebalance(group, known, request);
    }
    const pending = group.pendingMembers.get(request.memberId);
    if (pending) {
      pending();
      group.pendingMembers.delete(request.memberId);
      return this.addMemberAndRebalance(group, request, request.memberId);
    }
    const previous = staticMemberOf(group, instanceId);
    if (previous) return this.rejoinStaticMember(group, previous, request);
    const newId = `${instanceId ?? request.clientId}-${randomUUID()}`;
    if (instanceId === null && request.requireKnownMemberId)
      return Promise.resolve(this.requireMemberId(group, newId, request));
    return this.addMemberAndRebalance(group, request, newId);
  }

  /** The id goes back to the client, which must join again with it; unused, it lapses after a session timeout. */
  private requireMemberId(group: Group, memberId: string, request: JoinRequest): JoinResult {
    const lapse = this.scheduler.schedule(request.sessionTimeoutMs, () =>
      group.pendingMembers.delete(memberId),
    );
    group.pendingMembers.set(memberId, lapse);
    return joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED);
  }

  /**
   * In a Stable group with unchanged protocols a returning static member causes no rebalance: it
   * gets its assignment back, and the leader named is the current one, so it does not start assigning.
   */
  private rejoinStaticMember(group: Group, previous: Member, request: JoinRequest): Promise<JoinResult> {
    const currentLeader = group.leaderId;
    const member = replaceStaticMember(group, previous, request);
    if (group.state === 'Stable' && sameProtocols(previous, request.protocols)) {
      this.rebalance.touch(group, member);
      return Promise.resolve({ ...joinResponse(group, member), leaderId: currentLeader, members: [] });
    }
    return this.updateMemberAndRebalance(group, member, request);
  }

  sync(request: SyncRequest): Promise<SyncResult> {
    const group = this.groups.get(request.groupId);
    if (group && isFencedInstance(group, request.memberId, request.groupInstanceId))
      return Promise.resolve(syncError(ErrorCode.FENCED_INSTANCE_ID));
    const member = group?.members.get(request.memberId);
    if (!group || !member) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (request.generationId !== group.generationId)
      return Promise.resolve(syncError(ErrorCode.ILLEGAL_GENERATION));
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.rebalance.touch(group, member);
        return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      case 'CompletingRebalance': {
        member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        const parked = new Promise<SyncResult>((resolve) => (member.awaitingSync = resolve));
        this.rebalance.touch(group, member);
        if (member.memberId === group.leaderId) this.rebalance.completeSync(group, request.assignments);
        return parked;
      }
      default:
        return assertNever(group.state);
    }
  }

  heartbeat(request: MemberRef): ErrorCode {
    const group = this.groups.get(request.groupId);
    if (group && isFencedInstance(group, request.memberId, request.groupInstanceId))
      return ErrorCode.FENCED_INSTANCE_ID;
    const member = group?.members.get(request.memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.rebalance.touch(group, member);
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** A static member may leave by its instance id alone (member id empty), as a shutting-down client does. */
  leave(groupId: string, memberId: string, groupInstanceId: string | null = null): ErrorCode {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = leavingMember(group, memberId, groupInstanceId);
    if (typeof member === 'number') return member;
    this.rebalance.removeMember(group, member);
    return ErrorCode.NONE;
  }

  /** Restarts the member's session timer (an offset commit counts as a sign of life). */
  touch(group: Group, member: Member): void {
    this.rebalance.touch(group, member);
  }

  /** Answers every parked request so no connection waits forever, and stops all timers. */
  close(): void {
    for (const group of this.groups.values()) {
      group.cancelRebalanceTimer?.();
      for (const lapse of group.pendingMembers.values()) lapse();
      for (const member of group.members.values()) {
        member.cancelSessionTimer?.();
        member.awaitingJoin?.(joinError(member.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
        member.awaitingSync?.(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
        member.awaitingJoin = member.awaitingSync = undefined;
      }
    }
  }

  private canAnswerFromCurrentGeneration(
    group: Group,
    member: Member,
    protocols: readonly GroupProtocol[],
  ): boolean {
    if (!sameProtocols(member, protocols)) return false;
    if (group.state === 'CompletingRebalance') return true;
    return group.state === 'Stable' && member.memberId !== group.leaderId;
  }

  private addMemberAndRebalance(group: Group, request: JoinRequest, memberId: string): Promise<JoinResult> {
    const groupInstanceId = request.groupInstanceId ?? null;
    const member: Member = {
      memberId,
      groupInstanceId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocols: request.protocols,
      assignment: EMPTY,
    };
    if (group.members.size === 0) group.protocolType = request.protocolType;
    group.members.set(memberId, member);
    if (groupInstanceId !== null) group.staticMembers.set(groupInstanceId, memberId);
    if (!group.members.has(group.leaderId)) group.leaderId = memberId;
    if (group.initialDelay) group.initialDelay.newMemberAdded = true;
    return this.rebalance.awaitJoin(group, member);
  }

  private updateMemberAndRebalance(group: Group, member: Member, request: JoinRequest): Promise<JoinResult> {
    member.protocols = request.protocols;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    return this.rebalance.awaitJoin(group, member);
  }
}
