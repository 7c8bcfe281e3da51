import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupAdmin } from './group-admin';
import type { GroupRouting } from './group-routing';

/**
 * Each node lists only the groups it coordinates; clients ask every node and concatenate. v1 adds throttle
 * time, v3 is flexible.
 */
export function listGroupsApi(admin: GroupAdmin, routing: GroupRouting): ApiHandler {
  return {
    key: 16,
    name: 'ListGroups',
    minVersion: 0,
    maxVersion: 3,
    flexibleFrom: 3,
    handle(request) {
      const { apiVersion, nodeId, body } = request;
      body.tags();
      const groups = admin.list().filter((group) => routing.isCoordinator(group.groupId, nodeId));
      const writer = Writer.forResponse(request);
      if (apiVersion >= 1) writer.int32(0);
      return writer
        .int16(ErrorCode.NONE)
        .array(groups, (writer, group) => writer.string(group.groupId).string(group.protocolType).tags())
        .tags();
    },
  };
}
