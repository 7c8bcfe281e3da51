import { ErrorCode } from '../protocol/error-codes';
import type { Scheduler } from './scheduler';
import {
  type Group,
  type JoinResult,
  type Member,
  type SyncRequest,
  type SyncResult,
  selectProtocol,
} from './group';
import { EMPTY, joinError, joinResponse, syncError } from './group-replies';
import { forgetStaticMember } from './static-members';

/**
 * The generation engine behind GroupMembership: session timers, PreparingRebalance with Kafka's initial
 * delay, and completing a join and a sync, so that no two generations overlap.
 */
export class GroupRebalance {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly initialRebalanceDelayMs: number,
  ) {}

  /** Restarts the member's session timer; members parked in JoinGroup or SyncGroup are alive by definition. */
  touch(group: Group, member: Member): void {
    member.cancelSessionTimer?.();
    member.cancelSessionTimer = undefined;
    if (member.awaitingJoin || member.awaitingSync) return;
    member.cancelSessionTimer = this.scheduler.schedule(member.sessionTimeoutMs, () => {
      if (group.members.get(member.memberId) === member) this.removeMember(group, member);
    });
  }

  awaitJoin(group: Group, member: Member): Promise<JoinResult> {
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
      const delayMs = Math.min(this.initialRebalanceDelayMs, rebalanceTimeoutMs);
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
      const delayMs = Math.min(this.initialRebalanceDelayMs, delay.remainingMs);
      group.initialDelay = { newMemberAdded: false, remainingMs: delay.remainingMs - delayMs };
      group.cancelRebalanceTimer = this.scheduler.schedule(delayMs, () => this.onInitialDelay(group));
      return;
    }
    this.completeJoin(group);
  }

  tryCompleteJoin(group: Group): void {
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

  completeSync(group: Group, assignments: SyncRequest['assignments']): void {
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
  removeMember(group: Group, member: Member): void {
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
