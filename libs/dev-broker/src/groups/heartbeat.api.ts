import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupMembership } from './group-membership';
import type { GroupRouting } from './group-routing';

export function heartbeatApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 12,
    name: 'Heartbeat',
    minVersion: 0,
    maxVersion: 0,
    handle({ body, nodeId }) {
      const groupId = body.string();
      const generationId = body.int32();
      const memberId = body.string();
      const errorCode = routing.isCoordinator(groupId, nodeId)
        ? membership.heartbeat({ groupId, generationId, memberId })
        : ErrorCode.NOT_COORDINATOR;
      return new Writer().int16(errorCode);
    },
  };
}
