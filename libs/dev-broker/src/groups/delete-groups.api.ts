import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupAdmin } from './group-admin';
import type { GroupRouting } from './group-routing';

/** DeleteGroups v0-v1 (v1 is v0 again). */
export function deleteGroupsApi(admin: GroupAdmin, routing: GroupRouting): ApiHandler {
  return {
    key: 42,
    name: 'DeleteGroups',
    minVersion: 0,
    maxVersion: 1,
    handle({ body, nodeId }) {
      const results = body
        .array((reader) => reader.string())
        .map((groupId) => ({
          groupId,
          errorCode: routing.isCoordinator(groupId, nodeId)
            ? admin.delete(groupId)
            : ErrorCode.NOT_COORDINATOR,
        }));
      return new Writer()
        .int32(0)
        .array(results, (writer, { groupId, errorCode }) => writer.string(groupId).int16(errorCode));
    },
  };
}
