import type { BrokerContext } from '../broker-context';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { lookupPartition } from './partition-lookup';

const HIGH_WATERMARK = -1;

interface PartitionResult {
  readonly partition: number;
  readonly lowWatermark: number;
  readonly errorCode: ErrorCode;
}

/**
 * DeleteRecords v0-v1 on each partition's leader: records below the offset (-1 meaning the high
 * watermark) become unreadable and the log start moves there; an earlier offset changes nothing.
 */
export function deleteRecordsApi(broker: BrokerContext): ApiHandler {
  return {
    key: 21,
    name: 'DeleteRecords',
    minVersion: 0,
    maxVersion: 1,
    handle: ({ body, nodeId }) => {
      const topics = body.array((t) => {
        const name = t.string();
        const partitions = t.array((p): PartitionResult => {
          const partition = p.int32();
          const offset = p.int64n();
          const { log, errorCode } = lookupPartition(broker, nodeId, name, partition);
          if (!log) return { partition, lowWatermark: -1, errorCode };
          const target = offset === HIGH_WATERMARK ? log.logEndOffset : offset;
          if (target < 0 || target > log.logEndOffset) {
            return { partition, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
          }
          try {
            log.advanceStart(target);
          } catch (error) {
            broker.logger.error(
              `dev-broker: deleting records of ${name}-${partition} failed: ${(error as Error).message}`,
            );
            return { partition, lowWatermark: -1, errorCode: ErrorCode.KAFKA_STORAGE_ERROR };
          }
          return { partition, lowWatermark: log.logStartOffset, errorCode: ErrorCode.NONE };
        });
        return { name, partitions };
      });
      body.int32();
      return new Writer().int32(0).array(topics, (w, topic) => {
        w.string(topic.name).array(topic.partitions, (pw, p) =>
          pw.int32(p.partition).int64(p.lowWatermark).int16(p.errorCode),
        );
      });
    },
  };
}
