import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupMembership } from './group-membership';
import type { GroupRouting } from './group-routing';

export function syncGroupApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 14,
    name: 'SyncGroup',
    minVersion: 0,
    maxVersion: 0,
    async handle({ body, nodeId }) {
      const groupId = body.string();
      const generationId = body.int32();
      const memberId = body.string();
      const assignments = body.array((reader) => ({ memberId: reader.string(), assignment: reader.bytes() }));
      const result = routing.isCoordinator(groupId, nodeId)
        ? await membership.sync({ groupId, generationId, memberId, assignments })
        : { errorCode: ErrorCode.NOT_COORDINATOR, assignment: Buffer.alloc(0) };
      return new Writer().int16(result.errorCode).bytes(result.assignment);
    },
  };
}
