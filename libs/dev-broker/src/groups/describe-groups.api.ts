import { GROUP_OPERATIONS, NOT_REQUESTED } from '../apis/authorized-operations';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupAdmin, GroupDescription } from './group-admin';
import type { GroupRouting } from './group-routing';

/**
 * DescribeGroups v0-v5: v1 adds throttle time, v3 the operations allowed on the group, v4 static members'
 * instance ids, v5 is flexible.
 */
export function describeGroupsApi(admin: GroupAdmin, routing: GroupRouting): ApiHandler {
  return {
    key: 15,
    name: 'DescribeGroups',
    minVersion: 0,
    maxVersion: 5,
    flexibleFrom: 5,
    handle(request) {
      const { apiVersion, body, nodeId } = request;
      const groupIds = body.array((reader) => reader.string());
      const withOperations = apiVersion >= 3 && body.boolean();
      body.tags();
      const descriptions = groupIds.map((groupId): GroupDescription =>
        routing.isCoordinator(groupId, nodeId)
          ? admin.describe(groupId)
          : {
              errorCode: ErrorCode.NOT_COORDINATOR,
              groupId,
              state: 'Dead',
              protocolType: '',
              protocol: '',
              members: [],
            },
      );
      const writer = Writer.forResponse(request);
      if (apiVersion >= 1) writer.int32(0);
      return writer
        .array(descriptions, (w, group) => {
          w.int16(group.errorCode)
            .string(group.groupId)
            .string(group.state)
            .string(group.protocolType)
            .string(group.protocol)
            .array(group.members, (mw, member) => {
              mw.string(member.memberId);
              if (apiVersion >= 4) mw.nullableString(member.groupInstanceId);
              mw.string(member.clientId)
                .string(member.clientHost)
                .bytes(member.metadata)
                .bytes(member.assignment)
                .tags();
            });
          if (apiVersion >= 3) w.int32(withOperations ? GROUP_OPERATIONS : NOT_REQUESTED);
          w.tags();
        })
        .tags();
    },
  };
}
