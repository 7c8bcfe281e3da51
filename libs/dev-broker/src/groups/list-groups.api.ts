import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupAdmin } from './group-admin';
import type { GroupRouting } from './group-routing';

/** Each node lists only the groups it coordinates; clients ask every node and concatenate. */
export function listGroupsApi(admin: GroupAdmin, routing: GroupRouting): ApiHandler {
  return {
    key: 16,
    name: 'ListGroups',
    minVersion: 0,
    maxVersion: 0,
    handle({ nodeId }) {
      const groups = admin.list().filter((group) => routing.isCoordinator(group.groupId, nodeId));
      return new Writer()
        .int16(ErrorCode.NONE)
        .array(groups, (writer, group) => writer.string(group.groupId).string(group.protocolType));
    },
  };
}
