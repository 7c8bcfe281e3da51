import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupAdmin } from './group-admin';
import type { GroupRouting } from './group-routing';

/** DeleteGroups v0-v2 (v1 is v0 again, v2 is flexible). */
export function deleteGroupsApi(admin: GroupAdmin, routing: GroupRouting): ApiHandler {
  return {
    key: 42,
    name: 'DeleteGroups',
    minVersion: 0,
    maxVersion: 2,
    flexibleFrom: 2,
    handle(request) {
      const { body, nodeId } = request;
      const groupIds = body.array((reader) => reader.string());
      body.tags();
      const results = groupIds.map((groupId) => ({
        groupId,
        errorCode: routing.isCoordinator(groupId, nodeId) ? admin.delete(groupId) : ErrorCode.NOT_COORDINATOR,
      }));
      return Writer.forResponse(request)
        .int32(0)
        .array(results, (writer, { groupId, errorCode }) => writer.string(groupId).int16(errorCode).tags())
        .tags();
    },
  };
}
