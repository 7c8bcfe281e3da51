import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupMembership } from './group-membership';
import type { GroupRouting } from './group-routing';

export function leaveGroupApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 13,
    name: 'LeaveGroup',
    minVersion: 0,
    maxVersion: 0,
    handle({ body, nodeId }) {
      const groupId = body.string();
      const memberId = body.string();
      const errorCode = routing.isCoordinator(groupId, nodeId)
        ? membership.leave(groupId, memberId)
        : ErrorCode.NOT_COORDINATOR;
      return new Writer().int16(errorCode);
    },
  };
}
