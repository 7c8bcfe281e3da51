import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupRouting } from './group-routing';

/**
 * v1 adds a coordinator type and throttle time (v2 is v1 again, v3 flexible); transactions get the same
 * node, as the broker has a single log anyway.
 */
export function findCoordinatorApi(routing: GroupRouting): ApiHandler {
  return {
    key: 10,
    name: 'FindCoordinator',
    minVersion: 0,
    maxVersion: 3,
    flexibleFrom: 3,
    handle(request) {
      const { apiVersion, body, host } = request;
      const key = body.string();
      if (apiVersion >= 1) body.int8();
      body.tags();
      const node = routing.coordinatorOf(key);
      const writer = Writer.forResponse(request);
      if (apiVersion >= 1) writer.int32(0);
      writer.int16(ErrorCode.NONE);
      if (apiVersion >= 1) writer.nullableString(null);
      return writer.int32(node.nodeId).string(host).int32(node.port).tags();
    },
  };
}
