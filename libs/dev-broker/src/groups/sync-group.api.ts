import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupMembership } from './group-membership';
import type { GroupRouting } from './group-routing';

/** SyncGroup v0-v4: v1 adds throttle time, v3 the group instance id of a static member, v4 is flexible. */
export function syncGroupApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 14,
    name: 'SyncGroup',
    minVersion: 0,
    maxVersion: 4,
    flexibleFrom: 4,
    async handle(request) {
      const { apiVersion, body, nodeId } = request;
      const groupId = body.string();
      const generationId = body.int32();
      const memberId = body.string();
      const groupInstanceId = apiVersion >= 3 ? body.nullableString() : null;
      const assignments = body.array((reader) => {
        const assignment = { memberId: reader.string(), assignment: reader.bytes() };
        reader.tags();
        return assignment;
      });
      body.tags();
      const result = routing.isCoordinator(groupId, nodeId)
        ? await membership.sync({ groupId, generationId, memberId, groupInstanceId, assignments })
        : { errorCode: ErrorCode.NOT_COORDINATOR, assignment: Buffer.alloc(0) };
      const writer = Writer.forResponse(request);
      if (apiVersion >= 1) writer.int32(0);
      return writer.int16(result.errorCode).bytes(result.assignment).tags();
    },
  };
}
