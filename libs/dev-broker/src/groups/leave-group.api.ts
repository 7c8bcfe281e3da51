import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupMembership } from './group-membership';
import type { GroupRouting } from './group-routing';

interface Leaver {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/**
 * LeaveGroup v0-v4: v1 adds throttle time, v3 lets several members (static ones by instance id) leave at
 * once, v4 is flexible.
 */
export function leaveGroupApi(membership: GroupMembership, routing: GroupRouting): ApiHandler {
  return {
    key: 13,
    name: 'LeaveGroup',
    minVersion: 0,
    maxVersion: 4,
    flexibleFrom: 4,
    handle(request) {
      const { apiVersion, body, nodeId } = request;
      const groupId = body.string();
      const leavers: Leaver[] =
        apiVersion >= 3
          ? body.array((r) => {
              const leaver = { memberId: r.string(), groupInstanceId: r.nullableString() };
              r.tags();
              return leaver;
            })
          : [{ memberId: body.string(), groupInstanceId: null }];
      body.tags();
      const coordinator = routing.isCoordinator(groupId, nodeId);
      const results = coordinator
        ? leavers.map((leaver) => ({
            ...leaver,
            errorCode: membership.leave(groupId, leaver.memberId, leaver.groupInstanceId),
          }))
        : [];
      const writer = Writer.forResponse(request);
      if (apiVersion >= 1) writer.int32(0);
      if (apiVersion < 3) return writer.int16(coordinator ? results[0].errorCode : ErrorCode.NOT_COORDINATOR);
      return writer
        .int16(coordinator ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR)
        .array(results, (w, r) =>
          w.string(r.memberId).nullableString(r.groupInstanceId).int16(r.errorCode).tags(),
        )
        .tags();
    },
  };
}
