import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupAdmin } from './group-admin';
import type { GroupRouting } from './group-routing';

/** Each node lists only the groups it coordinates; clients ask every node and concatenate. v1 adds throttle time. */
export function listGroupsApi(admin: GroupAdmin, routing: GroupRouting): ApiHandler {
  return {
    key: 16,
    name: 'ListGroups',
    minVersion: 0,
    maxVersion: 2,
    handle({ apiVersion, nodeId }) {
      const groups = admin.list().filter((group) => routing.isCoordinator(group.groupId, nodeId));
      const writer = new Writer();
      if (apiVersion >= 1) writer.int32(0);
      return writer
        .int16(ErrorCode.NONE)
        .array(groups, (writer, group) => writer.string(group.groupId).string(group.protocolType));
    },
  };
}
