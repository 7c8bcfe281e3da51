import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { GroupOffsets, OffsetDeletion } from './group-offsets';
import type { GroupRouting } from './group-routing';

/** OffsetDelete v0 (KIP-496, Kafka 2.4): a group error answers alone, with no partitions. */
export function offsetDeleteApi(offsets: GroupOffsets, routing: GroupRouting): ApiHandler {
  return {
    key: 47,
    name: 'OffsetDelete',
    minVersion: 0,
    maxVersion: 0,
    handle(request) {
      const { body, nodeId } = request;
      const groupId = body.string();
      const topics = body.array((topic) => ({
        topic: topic.string(),
        partitions: topic.array((partition) => partition.int32()),
      }));
      const outcome: OffsetDeletion =
        groupId !== '' && !routing.isCoordinator(groupId, nodeId)
          ? { errorCode: ErrorCode.NOT_COORDINATOR, topics: [] }
          : offsets.deleteOffsets(groupId, topics);
      return Writer.forResponse(request)
        .int16(outcome.errorCode)
        .int32(0)
        .array(outcome.topics, (w, { topic, partitions }) =>
          w
            .string(topic)
            .array(partitions, (p, { partition, errorCode }) => p.int32(partition).int16(errorCode)),
        );
    },
  };
}
