import type { BrokerContext } from '../../broker-context';
import { leaderEpochError } from '../../cluster';
import type { ApiHandler } from '../../protocol/api-handler';
import { ErrorCode } from '../../protocol/error-codes';
import { Writer } from '../../protocol/writer';
import type { PartitionLog } from '../../storage/partition-log';
import { lookupPartition } from '../partition-lookup';
import { type FetchRequest, NO_SESSION, type PartitionFetch, readFetchRequest } from './fetch-request';
import { type FetchContext, FetchSessions, type PartitionState, sessionPartitions } from './fetch-sessions';

interface PartitionAnswer extends PartitionState {
  readonly log?: PartitionLog;
  readonly batches: readonly Buffer[];
}

interface Answer {
  readonly partitions: readonly PartitionAnswer[];
  readonly size: number;
  readonly failed: boolean;
  readonly logs: readonly PartitionLog[];
  /** Gives back the pooled buffers its batches were read into; the answer must not be sent after. */
  readonly release?: () => void;
}

const NO_PREFERRED_READ_REPLICA = -1;

/**
 * Fetch v4-v11 with long polling: a fetch short of min_bytes waits until a produce to one of its
 * partitions (re-checked on every append) or max_wait_time. v7 adds fetch sessions (KIP-227), v9
 * leader epochs, v11 a preferred read replica (never one: each partition has a single replica).
 * No transactions, so the last stable offset is the high watermark and nothing is ever aborted.
 */
export function fetchApi(broker: BrokerContext, sessions = new FetchSessions()): ApiHandler {
  return {
    key: 1,
    name: 'Fetch',
    minVersion: 4,
    maxVersion: 11,
    handle: ({ apiVersion, body, nodeId }) => {
      const request = readFetchRequest(body, apiVersion);
      const context =
        apiVersion >= 7 ? sessions.open(request) : sessions.open({ ...request, sessionId: NO_SESSION });
      if (context.kind === 'error') return encodeError(context.errorCode);
      const partitions = sessionPartitions(context);
      const answer = () => collect(broker, nodeId, request, partitions);
      const respond = (final: Answer) => {
        const body = encode(apiVersion, context, sessions.report(context, final.partitions));
        return final.release ? body.onRelease(final.release) : body;
      };
      const first = answer();
      if (isComplete(first, request) || request.maxWaitMs <= 0) return respond(first);
      first.release?.();
      return new Promise<Writer>((resolve) => {
        let done = false;
        const finish = (final: Answer) => {
          if (done) {
            final.release?.();
            return;
          }
          done = true;
          clearTimeout(timer);
          for (const unsubscribe of unsubscribes) unsubscribe();
          resolve(respond(final));
        };
        const timer = setTimeout(() => finish(answer()), request.maxWaitMs);
        const unsubscribes = first.logs.map((log) =>
          log.onAppend(() => {
            const next = answer();
            if (isComplete(next, request) || first.logs.some((l) => l.closed)) finish(next);
            else next.release?.();
          }),
        );
      });
    },
  };
}

function collect(
  broker: BrokerContext,
  nodeId: number,
  request: FetchRequest,
  partitions: readonly PartitionFetch[],
): Answer {
  let size = 0;
  let failed = false;
  const logs: PartitionLog[] = [];
  const releases: (() => void)[] = [];
  const answers = partitions.map((fetch): PartitionAnswer => {
    const { topic, partition, fetchOffset } = fetch;
    const { log, errorCode } = lookupPartition(broker, nodeId, topic, partition);
    const epochError = leaderEpochError(fetch.currentLeaderEpoch);
    const refuse = (code: ErrorCode, known?: PartitionLog): PartitionAnswer => {
      failed = true;
      return {
        topic,
        partition,
        errorCode: code,
        highWatermark: known ? known.logEndOffset : -1,
        logStartOffset: known ? known.logStartOffset : -1,
        log: known,
        batches: [],
        size: 0,
      };
    };
    if (!log) return refuse(errorCode);
    if (epochError !== ErrorCode.NONE) return refuse(epochError, log);
    if (fetchOffset < log.logStartOffset || fetchOffset > log.logEndOffset)
      return refuse(ErrorCode.OFFSET_OUT_OF_RANGE, log);
    logs.push(log);
    const remaining = Math.max(0, request.maxBytes - size);
    const read = log.read(
      fetchOffset,
      Math.min(fetch.maxBytes, remaining),
      size === 0 ? Infinity : remaining,
    );
    size += read.size;
    if (read.release) releases.push(read.release);
    return {
      topic,
      partition,
      errorCode: ErrorCode.NONE,
      highWatermark: log.logEndOffset,
      logStartOffset: log.logStartOffset,
      log,
      batches: read.batches,
      size: read.size,
    };
  });
  const release = releases.length > 0 ? () => releases.splice(0).forEach((r) => r()) : undefined;
  return { partitions: answers, size, failed, logs, release };
}

function isComplete(answer: Answer, request: FetchRequest): boolean {
  return answer.failed || answer.size >= request.minBytes || answer.logs.length === 0;
}

function encodeError(errorCode: ErrorCode): Writer {
  return new Writer().int32(0).int16(errorCode).int32(NO_SESSION).int32(0);
}

function encode(version: number, context: FetchContext, partitions: readonly PartitionAnswer[]): Writer {
  const writer = new Writer(256 + 64 * partitions.length).int32(0);
  if (version >= 7) {
    const sessionId =
      context.kind === 'full' || context.kind === 'incremental' ? context.session.id : NO_SESSION;
    writer.int16(ErrorCode.NONE).int32(sessionId);
  }
  return writer.array(byTopic(partitions), (w, [topic, answers]) => {
    w.string(topic).array(answers, (pw, p) => {
      pw.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.highWatermark);
      if (version >= 5) pw.int64(p.logStartOffset);
      pw.int32(0);
      if (version >= 11) pw.int32(NO_PREFERRED_READ_REPLICA);
      pw.int32(p.size);
      for (const batch of p.batches) pw.attach(batch);
    });
  });
}

/** Consecutive partitions of one topic share a topic entry, as in the request. */
function byTopic(partitions: readonly PartitionAnswer[]): [string, PartitionAnswer[]][] {
  const topics: [string, PartitionAnswer[]][] = [];
  for (const partition of partitions) {
    const last = topics[topics.length - 1];
    if (last && last[0] === partition.topic) last[1].push(partition);
    else topics.push([partition.topic, [partition]]);
  }
  return topics;
}
