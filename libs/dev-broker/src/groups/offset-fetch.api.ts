import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { FetchedOffset, GroupOffsets } from './group-offsets';
import type { GroupRouting } from './group-routing';

/** kafkajs only implements v1-v4, so v0 is not offered; v2 adds a top-level error and null = all topics. */
export function offsetFetchApi(offsets: GroupOffsets, routing: GroupRouting): ApiHandler {
  return {
    key: 9,
    name: 'OffsetFetch',
    minVersion: 1,
    maxVersion: 3,
    handle({ apiVersion, body, nodeId }) {
      const groupId = body.string();
      const requested = body.nullableArray((topic) => ({
        topic: topic.string(),
        partitions: topic.array((partition) => partition.int32()),
      }));
      const topics = apiVersion >= 2 ? requested : (requested ?? []);
      const local = routing.isCoordinator(groupId, nodeId);
      const results = local
        ? offsets.fetch(groupId, topics)
        : (topics ?? []).map(({ topic, partitions }) => ({
            topic,
            partitions: partitions.map((partition): FetchedOffset => ({
              partition,
              offset: -1n,
              metadata: '',
              errorCode: ErrorCode.NOT_COORDINATOR,
            })),
          }));
      const writer = new Writer();
      if (apiVersion >= 3) writer.int32(0);
      writer.array(results, (w, { topic, partitions }) =>
        w
          .string(topic)
          .array(partitions, (p, { partition, offset, metadata, errorCode }) =>
            p.int32(partition).int64(offset).string(metadata).int16(errorCode),
          ),
      );
      if (apiVersion >= 2) writer.int16(local ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR);
      return writer;
    },
  };
}
