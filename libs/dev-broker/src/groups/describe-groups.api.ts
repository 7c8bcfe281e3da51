import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupAdmin, GroupDescription } from './group-admin';
import type { GroupRouting } from './group-routing';

export function describeGroupsApi(admin: GroupAdmin, routing: GroupRouting): ApiHandler {
  return {
    key: 15,
    name: 'DescribeGroups',
    minVersion: 0,
    maxVersion: 0,
    handle({ body, nodeId }) {
      const descriptions = body
        .array((reader) => reader.string())
        .map((groupId): GroupDescription =>
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
      return new Writer().array(descriptions, (writer, group) =>
        writer
          .int16(group.errorCode)
          .string(group.groupId)
          .string(group.state)
          .string(group.protocolType)
          .string(group.protocol)
          .array(group.members, (w, member) =>
            w
              .string(member.memberId)
              .string(member.clientId)
              .string(member.clientHost)
              .bytes(member.metadata)
              .bytes(member.assignment),
          ),
      );
    },
  };
}
