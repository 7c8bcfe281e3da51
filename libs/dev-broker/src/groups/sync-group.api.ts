import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupMembership } from './group-membership';
import type { GroupRouting } from './group-routing';

/** SyncGroup v0-v3: v1 adds throttle time, v3 the group instance id of a static member. */
export function syncGroupApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 14,
    name: 'SyncGroup',
    minVersion: 0,
    maxVersion: 3,
    async handle({ apiVersion, body, nodeId }) {
      const groupId = body.string();
      const generationId = body.int32();
      const memberId = body.string();
      const groupInstanceId = apiVersion >= 3 ? body.nullableString() : null;
      const assignments = body.array((reader) => ({ memberId: reader.string(), assignment: reader.bytes() }));
      const result = routing.isCoordinator(groupId, nodeId)
        ? await membership.sync({ groupId, generationId, memberId, groupInstanceId, assignments })
        : { errorCode: ErrorCode.NOT_COORDINATOR, assignment: Buffer.alloc(0) };
      const writer = new Writer();
      if (apiVersion >= 1) writer.int32(0);
      return writer.int16(result.errorCode).bytes(result.assignment);
    },
  };
}
