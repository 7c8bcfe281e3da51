import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { JoinRequest, JoinResult } from './group';
import type { GroupMembership } from './group-membership';
import { joinError } from './group-replies';
import type { GroupRouting } from './group-routing';

/**
 * JoinGroup v0-v6. v2 adds throttle time; from v4 a new dynamic member is first told its id with
 * MEMBER_ID_REQUIRED; v5 brings static membership (group.instance.id, KIP-345); v6 is flexible.
 */
export function joinGroupApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 11,
    name: 'JoinGroup',
    minVersion: 0,
    maxVersion: 6,
    flexibleFrom: 6,
    async handle(incoming) {
      const { apiVersion, body, nodeId, clientId, clientAddress } = incoming;
      const groupId = body.string();
      const sessionTimeoutMs = body.int32();
      const rebalanceTimeoutMs = apiVersion >= 1 ? body.int32() : sessionTimeoutMs;
      const memberId = body.string();
      const request: JoinRequest = {
        groupId,
        sessionTimeoutMs,
        rebalanceTimeoutMs,
        memberId,
        groupInstanceId: apiVersion >= 5 ? body.nullableString() : null,
        requireKnownMemberId: apiVersion >= 4,
        protocolType: body.string(),
        protocols: body.array((reader) => {
          const protocol = { name: reader.string(), metadata: reader.bytes() };
          reader.tags();
          return protocol;
        }),
        clientId: clientId ?? '',
        clientHost: clientAddress,
      };
      body.tags();
      const result: JoinResult = routing.isCoordinator(groupId, nodeId)
        ? await membership.join(request)
        : joinError(memberId, ErrorCode.NOT_COORDINATOR);
      const writer = Writer.forResponse(incoming);
      if (apiVersion >= 2) writer.int32(0);
      return writer
        .int16(result.errorCode)
        .int32(result.generationId)
        .string(result.protocol)
        .string(result.leaderId)
        .string(result.memberId)
        .array(result.members, (w, member) => {
          w.string(member.memberId);
          if (apiVersion >= 5) w.nullableString(member.groupInstanceId);
          w.bytes(member.metadata).tags();
        })
        .tags();
    },
  };
}
