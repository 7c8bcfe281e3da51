import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupMembership } from './group-membership';
import type { GroupRouting } from './group-routing';

/** Heartbeat v0-v4: v1 adds throttle time, v3 the group instance id of a static member, v4 is flexible. */
export function heartbeatApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 12,
    name: 'Heartbeat',
    minVersion: 0,
    maxVersion: 4,
    flexibleFrom: 4,
    handle(request) {
      const { apiVersion, body, nodeId } = request;
      const groupId = body.string();
      const generationId = body.int32();
      const memberId = body.string();
      const groupInstanceId = apiVersion >= 3 ? body.nullableString() : null;
      body.tags();
      const errorCode = routing.isCoordinator(groupId, nodeId)
        ? membership.heartbeat({ groupId, generationId, memberId, groupInstanceId })
        : ErrorCode.NOT_COORDINATOR;
      const writer = Writer.forResponse(request);
      if (apiVersion >= 1) writer.int32(0);
      return writer.int16(errorCode).tags();
    },
  };
}
