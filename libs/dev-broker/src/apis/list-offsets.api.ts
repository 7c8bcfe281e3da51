import type { BrokerContext } from '../broker-context';
import { LEADER_EPOCH, leaderEpochError } from '../cluster';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { PartitionLog } from '../storage/partition-log';
import { lookupPartition } from './partition-lookup';

const LATEST = -1;
const EARLIEST = -2;
const NOT_FOUND = { offset: -1, timestamp: -1 };

interface OffsetAnswer {
  readonly partition: number;
  readonly errorCode: ErrorCode;
  readonly offset: number;
  readonly timestamp: number;
}

/**
 * ListOffsets v0-v5: latest (-1), earliest (-2), or the first record stamped at or after a time.
 * v2 adds the isolation level (no transactions, so both levels see the high watermark) and throttle
 * time, v4 the leader epoch.
 */
export function listOffsetsApi(broker: BrokerContext): ApiHandler {
  return {
    key: 2,
    name: 'ListOffsets',
    minVersion: 0,
    maxVersion: 5,
    handle: ({ apiVersion, body, nodeId }) => {
      body.int32();
      if (apiVersion >= 2) body.int8();
      const topics = body.array((t) => {
        const name = t.string();
        const partitions = t.array((p): OffsetAnswer => {
          const partition = p.int32();
          const epochError = apiVersion >= 4 ? leaderEpochError(p.int32()) : ErrorCode.NONE;
          const timestamp = p.int64n();
          if (apiVersion === 0) p.int32();
          const { log, errorCode } = lookupPartition(broker, nodeId, name, partition);
          if (!log || epochError !== ErrorCode.NONE)
            return { partition, errorCode: log ? epochError : errorCode, ...NOT_FOUND };
          return { partition, errorCode, ...lookup(log, timestamp) };
        });
        return { name, partitions };
      });

      const writer = new Writer();
      if (apiVersion >= 2) writer.int32(0);
      return writer.array(topics, (w, topic) => {
        w.string(topic.name).array(topic.partitions, (pw, p) => {
          pw.int32(p.partition).int16(p.errorCode);
          if (apiVersion === 0) {
            pw.array(p.offset < 0 ? [] : [p.offset], (ow, offset) => ow.int64(offset));
          } else {
            pw.int64(p.timestamp).int64(p.offset);
          }
          if (apiVersion >= 4) pw.int32(p.errorCode === ErrorCode.NONE ? LEADER_EPOCH : -1);
        });
      });
    },
  };
}

function lookup(log: PartitionLog, timestamp: number): { offset: number; timestamp: number } {
  if (timestamp === LATEST) return { offset: log.logEndOffset, timestamp: -1 };
  if (timestamp === EARLIEST) return { offset: log.logStartOffset, timestamp: -1 };
  return log.offsetForTimestamp(timestamp) ?? NOT_FOUND;
}
