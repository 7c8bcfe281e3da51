import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes';
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
  selectProtocol,
  supportsProtocols,
} from './group';
import { EMPTY, joinError, joinResponse, syncError } from './group-replies';
import {
  forgetStaticMember,
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
  constructor(
    private readonly groups: Map<string, Group>,
    private readonly scheduler: Scheduler,
    private readonly config: MembershipConfig,
  ) {}

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
    if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
    return result;
  }

  private joinAs(group: Group, request: JoinRequest, instanceId: string | null): Promise<JoinResult> {
    const known = group.members.get(request.memberId);
    if (known) {
      if (this.canAnswerFromCurrentGeneration(group, known, request.protocols)) {
        this.touch(group, known);
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
      this.touch(group, member);
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
        this.touch(group, member);
        return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      case 'CompletingRebalance': {
        member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        const parked = new Promise<SyncResult>((resolve) => (member.awaitingSync = resolve));
        this.touch(group, member);
        if (member.memberId === group.leaderId) this.completeSync(group, request.assignments);
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
    this.touch(group, member);
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** A static member may leave by its instance id alone (member id empty), as a shutting-down client does. */
  leave(groupId: string, memberId: string, groupInstanceId: string | null = null): ErrorCode {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = leavingMember(group, memberId, groupInstanceId);
    if (typeof member === 'number') return member;
    this.removeMember(group, member);
    return ErrorCode.NONE;
  }

  /** Restarts the member's session timer; members parked in JoinGroup or SyncGroup are alive by definition. */
  touch(group: Group, member: Member): void {
    member.cancelSessionTimer?.();
    member.cancelSessionTimer = undefined;
    if (member.awaitingJoin || member.awaitingSync) return;
    member.cancelSessionTimer = this.scheduler.schedule(member.sessionTimeoutMs, () => {
      if (group.members.get(member.memberId) === member) this.removeMember(group, member);
    });
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
    return this.awaitJoin(group, member);
  }

  private updateMemberAndRebalance(group: Group, member: Member, request: JoinRequest): Promise<JoinResult> {
    member.protocols = request.protocols;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    return this.awaitJoin(group, member);
  }

  private awaitJoin(group: Group, member: Member): Promise<JoinResult> {
    member.awaitingJoin?.(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    const parked = new Promise<JoinResult>((resolve) => (member.awaitingJoin = resolve));
    this.touch(group, member);
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    return parked;
  }

  private prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      for (const member of group.members.values()) {
        member.assignment = EMPTY;
        this.answerSync(member, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        this.touch(group, member);
      }
    }
    const rebalanceTimeoutMs = Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs));
    group.cancelRebalanceTimer?.();
    if (group.state === 'Empty') {
      const delayMs = Math.min(this.config.initialRebalanceDelayMs, rebalanceTimeoutMs);
      group.initialDelay = { newMemberAdded: false, remainingMs: rebalanceTimeoutMs - delayMs };
      group.cancelRebalanceTimer = this.scheduler.schedule(delayMs, () => this.onInitialDelay(group));
    } else {
      group.cancelRebalanceTimer = this.scheduler.schedule(rebalanceTimeoutMs, () =>
        this.completeJoin(group),
      );
    }
    group.state = 'PreparingRebalance';
  }

  /** Like Kafka's InitialDelayedJoin: keep waiting while members keep arriving, up to the rebalance timeout. */
  private onInitialDelay(group: Group): void {
    const delay = group.initialDelay;
    if (delay && delay.newMemberAdded && delay.remainingMs > 0) {
      const delayMs = Math.min(this.config.initialRebalanceDelayMs, delay.remainingMs);
      group.initialDelay = { newMemberAdded: false, remainingMs: delay.remainingMs - delayMs };
      group.cancelRebalanceTimer = this.scheduler.schedule(delayMs, () => this.onInitialDelay(group));
      return;
    }
    this.completeJoin(group);
  }

  private tryCompleteJoin(group: Group): void {
    if (group.initialDelay) return;
    if ([...group.members.values()].every((member) => member.awaitingJoin)) this.completeJoin(group);
  }

  private completeJoin(group: Group): void {
    group.cancelRebalanceTimer?.();
    group.cancelRebalanceTimer = undefined;
    group.initialDelay = undefined;
    for (const member of [...group.members.values()]) {
      if (!member.awaitingJoin) this.dropMember(group, member);
    }
    group.generationId += 1;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocol = '';
      group.leaderId = '';
      return;
    }
    if (!group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value ?? '';
    group.protocol = selectProtocol(group);
    group.state = 'CompletingRebalance';
    for (const member of group.members.values()) {
      const answer = member.awaitingJoin;
      member.awaitingJoin = undefined;
      answer?.(joinResponse(group, member));
      this.touch(group, member);
    }
  }

  private completeSync(group: Group, assignments: SyncRequest['assignments']): void {
    const byMember = new Map(assignments.map((entry) => [entry.memberId, entry.assignment]));
    group.state = 'Stable';
    for (const member of group.members.values()) {
      member.assignment = byMember.get(member.memberId) ?? EMPTY;
      if (member.awaitingSync) {
        this.answerSync(member, { errorCode: ErrorCode.NONE, assignment: member.assignment });
        this.touch(group, member);
      }
    }
  }

  private answerSync(member: Member, result: SyncResult): void {
    const answer = member.awaitingSync;
    member.awaitingSync = undefined;
    answer?.(result);
  }

  /** Session expiry and LeaveGroup: the rest of the group must rebalance without the member. */
  private removeMember(group: Group, member: Member): void {
    this.dropMember(group, member);
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group);
    if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
  }

  private dropMember(group: Group, member: Member): void {
    member.cancelSessionTimer?.();
    member.awaitingJoin?.(joinError(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    member.awaitingSync?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    member.awaitingJoin = member.awaitingSync = undefined;
    group.members.delete(member.memberId);
    forgetStaticMember(group, member);
    if (group.leaderId === member.memberId) group.leaderId = group.members.keys().next().value ?? '';
  }
}
