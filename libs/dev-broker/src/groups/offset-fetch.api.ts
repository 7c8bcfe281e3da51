import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { FetchedOffset, GroupOffsets } from './group-offsets';
import type { GroupRouting } from './group-routing';

/**
 * OffsetFetch v1-v6 (kafkajs has no v0, so it is not offered): v2 adds a top-level error and null
 * for all topics, v3 throttle time, v5 the leader epoch of each committed offset, v6 is flexible.
 */
export function offsetFetchApi(offsets: GroupOffsets, routing: GroupRouting): ApiHandler {
  return {
    key: 9,
    name: 'OffsetFetch',
    minVersion: 1,
    maxVersion: 6,
    flexibleFrom: 6,
    handle(request) {
      const { apiVersion, body, nodeId } = request;
      const groupId = body.string();
      const requested = body.nullableArray((topic) => {
        const wanted = { topic: topic.string(), partitions: topic.array((partition) => partition.int32()) };
        topic.tags();
        return wanted;
      });
      body.tags();
      const topics = apiVersion >= 2 ? requested : (requested ?? []);
      const local = routing.isCoordinator(groupId, nodeId);
      const results = local
        ? offsets.fetch(groupId, topics)
        : (topics ?? []).map(({ topic, partitions }) => ({
            topic,
            partitions: partitions.map((partition): FetchedOffset => ({
              partition,
              offset: -1n,
              leaderEpoch: -1,
              metadata: '',
              errorCode: ErrorCode.NOT_COORDINATOR,
            })),
          }));
      const writer = Writer.forResponse(request);
      if (apiVersion >= 3) writer.int32(0);
      writer.array(results, (w, { topic, partitions }) =>
        w
          .string(topic)
          .array(partitions, (p, { partition, offset, leaderEpoch, metadata, errorCode }) => {
            p.int32(partition).int64(offset);
            if (apiVersion >= 5) p.int32(leaderEpoch);
            p.string(metadata).int16(errorCode).tags();
          })
          .tags(),
      );
      if (apiVersion >= 2) writer.int16(local ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR);
      return writer.tags();
    },
  };
}
