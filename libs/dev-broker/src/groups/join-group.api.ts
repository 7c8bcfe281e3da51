import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { JoinRequest, JoinResult } from './group';
import type { GroupMembership } from './group-membership';
import type { GroupRouting } from './group-routing';

/** v2+ only add throttle time, but v4 would oblige MEMBER_ID_REQUIRED, so stop at v1 like the notes say. */
export function joinGroupApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 11,
    name: 'JoinGroup',
    minVersion: 0,
    maxVersion: 1,
    async handle({ apiVersion, body, nodeId, clientId, clientAddress }) {
      const groupId = body.string();
      const sessionTimeoutMs = body.int32();
      const rebalanceTimeoutMs = apiVersion >= 1 ? body.int32() : sessionTimeoutMs;
      const request: JoinRequest = {
        groupId,
        sessionTimeoutMs,
        rebalanceTimeoutMs,
        memberId: body.string(),
        protocolType: body.string(),
        protocols: body.array((reader) => ({ name: reader.string(), metadata: reader.bytes() })),
        clientId: clientId ?? '',
        clientHost: clientAddress,
      };
      const result: JoinResult = routing.isCoordinator(groupId, nodeId)
        ? await membership.join(request)
        : {
            errorCode: ErrorCode.NOT_COORDINATOR,
            generationId: -1,
            protocol: '',
            leaderId: '',
            memberId: request.memberId,
            members: [],
          };
      return new Writer()
        .int16(result.errorCode)
        .int32(result.generationId)
        .string(result.protocol)
        .string(result.leaderId)
        .string(result.memberId)
        .array(result.members, (writer, member) => writer.string(member.memberId).bytes(member.metadata));
    },
  };
}
