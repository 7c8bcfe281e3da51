import type { BrokerContext } from '../broker-context';
import type { ApiHandler } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import type { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import type { PartitionLog } from '../storage/partition-log';
import { lookupPartition } from './partition-lookup';

interface FetchRequest {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly topics: readonly { readonly name: string; readonly partitions: readonly PartitionFetch[] }[];
}

interface PartitionFetch {
  readonly partition: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
}

interface PartitionAnswer {
  readonly partition: number;
  readonly errorCode: ErrorCode;
  readonly log?: PartitionLog;
  readonly batches: readonly Buffer[];
}

interface Answer {
  readonly topics: readonly { readonly name: string; readonly partitions: readonly PartitionAnswer[] }[];
  readonly size: number;
  readonly failed: boolean;
  readonly logs: readonly PartitionLog[];
}

/**
 * Fetch v4-v6 with long polling: a fetch short of min_bytes waits until a produce to one of its
 * partitions (re-checked on every append) or max_wait_time. No transactions, so the last stable
 * offset is the high watermark and there are never aborted transactions.
 */
export function fetchApi(broker: BrokerContext): ApiHandler {
  return {
    key: 1,
    name: 'Fetch',
    minVersion: 4,
    maxVersion: 6,
    handle: ({ apiVersion, body, nodeId }) => {
      const request = readRequest(body, apiVersion);
      const answer = () => collect(broker, nodeId, request);
      const first = answer();
      if (isComplete(first, request) || request.maxWaitMs <= 0) return encode(first, apiVersion);
      return new Promise<Writer>((resolve) => {
        let done = false;
        const finish = (final: Answer) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          for (const unsubscribe of unsubscribes) unsubscribe();
          resolve(encode(final, apiVersion));
        };
        const timer = setTimeout(() => finish(answer()), request.maxWaitMs);
        const unsubscribes = first.logs.map((log) =>
          log.onAppend(() => {
            const next = answer();
            if (isComplete(next, request) || first.logs.some((l) => l.closed)) finish(next);
          }),
        );
      });
    },
  };
}

function readRequest(body: Reader, version: number): FetchRequest {
  body.int32();
  const maxWaitMs = body.int32();
  const minBytes = body.int32();
  const maxBytes = body.int32();
  body.int8();
  const topics = body.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => {
      const partition = p.int32();
      const fetchOffset = p.int64n();
      if (version >= 5) p.int64();
      return { partition, fetchOffset, maxBytes: p.int32() };
    }),
  }));
  return { maxWaitMs, minBytes, maxBytes, topics };
}

function collect(broker: BrokerContext, nodeId: number, request: FetchRequest): Answer {
  let size = 0;
  let failed = false;
  const logs: PartitionLog[] = [];
  const topics = request.topics.map(({ name, partitions }) => ({
    name,
    partitions: partitions.map(({ partition, fetchOffset, maxBytes }): PartitionAnswer => {
      const { log, errorCode } = lookupPartition(broker, nodeId, name, partition);
      if (!log) {
        failed = true;
        return { partition, errorCode, batches: [] };
      }
      if (fetchOffset < log.logStartOffset || fetchOffset > log.logEndOffset) {
        failed = true;
        return { partition, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, log, batches: [] };
      }
      logs.push(log);
      const remaining = Math.max(0, request.maxBytes - size);
      const read = log.read(fetchOffset, Math.min(maxBytes, remaining), size === 0 ? Infinity : remaining);
      size += read.size;
      return { partition, errorCode: ErrorCode.NONE, log, batches: read.batches };
    }),
  }));
  return { topics, size, failed, logs };
}

function isComplete(answer: Answer, request: FetchRequest): boolean {
  return answer.failed || answer.size >= request.minBytes || answer.logs.length === 0;
}

function encode(answer: Answer, version: number): Writer {
  return new Writer(answer.size + 256).int32(0).array(answer.topics, (w, topic) => {
    w.string(topic.name).array(topic.partitions, (pw, p) => {
      const highWatermark = p.log ? p.log.logEndOffset : -1;
      pw.int32(p.partition).int16(p.errorCode).int64(highWatermark).int64(highWatermark);
      if (version >= 5) pw.int64(p.log ? p.log.logStartOffset : -1);
      pw.int32(0);
      pw.int32(p.batches.reduce((sum, b) => sum + b.length, 0));
      for (const batch of p.batches) pw.raw(batch);
    });
  });
}
