import type { BrokerContext } from '../broker-context';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { AppendResult, PartitionLog } from '../storage/partition-log';
import { type ByteChunks, lengthOf } from '../storage/byte-chunks';
import {
  type ChunkedBatchRead,
  COMPRESSION_MASK,
  CONTROL_FLAG,
  readBatchChunks,
  TRANSACTIONAL_FLAG,
} from '../storage/record-batch';
import { effectiveConfigs } from '../storage/topic-configs';
import { lookupPartition } from './partition-lookup';

const NO_LOG_APPEND_TIME = -1;
const VALID_ACKS = new Set([0, 1, -1]);
const ZSTD = 4;
const FIRST_VERSION_WITH_ZSTD = 7;

interface PartitionData {
  readonly partition: number;
  /** Views into the socket reads the request arrived in. */
  readonly recordSet: Buffer[] | null;
}

/**
 * Produce v3-v8: record batch v2 only, stored verbatim with offsets assigned; compressed batches
 * stay compressed. v5 adds the log start offset to the answer, v7 allows zstd, v8 per-batch errors.
 */
export function produceApi(broker: BrokerContext): ApiHandler {
  return {
    key: 0,
    name: 'Produce',
    minVersion: 3,
    maxVersion: 8,
    handle: ({ apiVersion, body, nodeId }) => {
      const transactionalId = body.nullableString();
      const acks = body.int16();
      body.int32();
      const topics = body.array((r) => ({
        name: r.string(),
        partitions: r.array((p): PartitionData => ({ partition: p.int32(), recordSet: p.nullableChunks() })),
      }));

      const results = topics.map(({ name, partitions }) => ({
        name,
        partitions: partitions.map(({ partition, recordSet }) => {
          if (!VALID_ACKS.has(acks)) return refused(partition, ErrorCode.INVALID_REQUIRED_ACKS);
          if (transactionalId !== null) return refused(partition, ErrorCode.INVALID_REQUEST);
          const lookup = lookupPartition(broker, nodeId, name, partition);
          if (!lookup.log) return refused(partition, lookup.errorCode);
          const { maxMessageBytes } = effectiveConfigs(broker.store.get(name)?.configs ?? {});
          const appended = appendRecordSet(broker, lookup.log, recordSet ?? [], {
            maxMessageBytes,
            zstdAllowed: apiVersion >= FIRST_VERSION_WITH_ZSTD,
            where: `${name}-${partition}`,
          });
          const logStartOffset = appended.errorCode === ErrorCode.NONE ? lookup.log.logStartOffset : -1;
          return { partition, ...appended, logStartOffset };
        }),
      }));
      if (acks === 0) return null;

      return new Writer()
        .array(results, (w, topic) =>
          w.string(topic.name).array(topic.partitions, (pw, p) => {
            pw.int32(p.partition).int16(p.errorCode).int64(p.baseOffset).int64(NO_LOG_APPEND_TIME);
            if (apiVersion >= 5) pw.int64(p.logStartOffset);
            if (apiVersion >= 8) pw.array([], () => undefined).nullableString(null);
          }),
        )
        .int32(0);
    },
  };
}

interface AppendLimits {
  readonly maxMessageBytes: number;
  /** Kafka refuses zstd below Produce v7, since older clients could not read it back. */
  readonly zstdAllowed: boolean;
  readonly where: string;
}

function appendRecordSet(
  broker: BrokerContext,
  log: PartitionLog,
  recordSet: ByteChunks,
  { maxMessageBytes, zstdAllowed, where }: AppendLimits,
): AppendResult {
  const batches: Array<Extract<ChunkedBatchRead, { ok: true }>> = [];
  let rest = recordSet;
  for (let left = lengthOf(recordSet); left > 0;) {
    const read = readBatchChunks(rest);
    if (!read.ok) {
      const errorCode =
        read.problem === 'unsupported-magic'
          ? ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT
          : ErrorCode.CORRUPT_MESSAGE;
      return failed(errorCode);
    }
    if (read.header.attributes & (TRANSACTIONAL_FLAG | CONTROL_FLAG))
      return failed(ErrorCode.INVALID_REQUEST);
    if (read.size > maxMessageBytes) return failed(ErrorCode.MESSAGE_TOO_LARGE);
    if (!zstdAllowed && (read.header.attributes & COMPRESSION_MASK) === ZSTD)
      return failed(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    batches.push(read);
    rest = read.rest;
    left -= read.size;
  }
  if (batches.length === 0) return failed(ErrorCode.CORRUPT_MESSAGE);

  let first: AppendResult | undefined;
  for (const batch of batches) {
    let result: AppendResult;
    try {
      result = log.append(batch.chunks, batch.header);
    } catch (error) {
      broker.logger.error(`dev-broker: writing to ${where} failed: ${(error as Error).message}`);
      return failed(ErrorCode.KAFKA_STORAGE_ERROR);
    }
    if (result.errorCode !== ErrorCode.NONE) return result;
    first ??= result;
  }
  return first as AppendResult;
}

function refused(partition: number, errorCode: ErrorCode) {
  return { partition, ...failed(errorCode), logStartOffset: -1 };
}

function failed(errorCode: ErrorCode): AppendResult {
  return { errorCode, baseOffset: -1 };
}
