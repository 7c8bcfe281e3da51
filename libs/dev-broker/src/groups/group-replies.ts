import { ErrorCode } from '../protocol/error-codes';
import { type Group, type JoinResult, type Member, metadataFor, type SyncResult } from './group';

export const EMPTY = Buffer.alloc(0);

export function joinError(memberId: string, errorCode: ErrorCode): JoinResult {
  return { errorCode, generationId: -1, protocol: '', leaderId: '', memberId, members: [] };
}

export function syncError(errorCode: ErrorCode): SyncResult {
  return { errorCode, assignment: EMPTY };
}

/** Only the leader learns the members and their metadata: it computes the assignment for all. */
export function joinResponse(group: Group, member: Member): JoinResult {
  const isLeader = member.memberId === group.leaderId;
  return {
    errorCode: ErrorCode.NONE,
    generationId: group.generationId,
    protocol: group.protocol,
    leaderId: group.leaderId,
    memberId: member.memberId,
    members: isLeader
      ? [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          metadata: metadataFor(m, group.protocol),
        }))
      : [],
  };
}
