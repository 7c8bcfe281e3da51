import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import type { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import type { GroupOffsets, OffsetCommitRequest } from './group-offsets';
import type { GroupRouting } from './group-routing';

function readRequest(apiVersion: number, body: Reader): OffsetCommitRequest {
  const groupId = body.string();
  const generationId = apiVersion >= 1 ? body.int32() : -1;
  const memberId = apiVersion >= 1 ? body.string() : '';
  const groupInstanceId = apiVersion >= 7 ? body.nullableString() : null;
  if (apiVersion >= 2 && apiVersion <= 4) body.int64();
  const topics = body.array((topic) => {
    const name = topic.string();
    const partitions = topic.array((partition) => {
      const index = partition.int32();
      const offset = partition.int64();
      const leaderEpoch = apiVersion >= 6 ? partition.int32() : -1;
      if (apiVersion === 1) partition.int64();
      const metadata = partition.nullableString();
      partition.tags();
      return { partition: index, offset, leaderEpoch, metadata };
    });
    topic.tags();
    return { topic: name, partitions };
  });
  body.tags();
  return { groupId, generationId, memberId, groupInstanceId, topics };
}

/**
 * OffsetCommit v0-v8: v3 adds throttle time, v6 the leader epoch of the committed offset, v7 the
 * group instance id, v8 is flexible. v1's per-partition timestamp and v2-v4's retention time are read and ignored:
 * offsets here never expire.
 */
export function offsetCommitApi(offsets: GroupOffsets, routing: GroupRouting): ApiHandler {
  return {
    key: 8,
    name: 'OffsetCommit',
    minVersion: 0,
    maxVersion: 8,
    flexibleFrom: 8,
    handle(incoming) {
      const { apiVersion, body, nodeId } = incoming;
      const request = readRequest(apiVersion, body);
      const results = routing.isCoordinator(request.groupId, nodeId)
        ? offsets.commit(request)
        : request.topics.map(({ topic, partitions }) => ({
            topic,
            partitions: partitions.map(({ partition }) => ({
              partition,
              errorCode: ErrorCode.NOT_COORDINATOR,
            })),
          }));
      const writer = Writer.forResponse(incoming);
      if (apiVersion >= 3) writer.int32(0);
      return writer
        .array(results, (w, { topic, partitions }) =>
          w
            .string(topic)
            .array(partitions, (pw, { partition, errorCode }) => pw.int32(partition).int16(errorCode).tags())
            .tags(),
        )
        .tags();
    },
  };
}
