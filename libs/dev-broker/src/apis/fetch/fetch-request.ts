import type { Reader } from '../../protocol/reader';

export interface PartitionFetch {
  readonly topic: string;
  readonly partition: number;
  /** -1 when the client does not know it (before v9, or a client that does not track epochs). */
  readonly currentLeaderEpoch: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
}

export interface FetchRequest {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  /** KIP-227: 0 without a session; epoch -1 closes (or never opens) one, 0 opens one. */
  readonly sessionId: number;
  readonly sessionEpoch: number;
  readonly partitions: readonly PartitionFetch[];
  readonly forgotten: readonly { readonly topic: string; readonly partition: number }[];
}

export const NO_SESSION = 0;
export const FINAL_EPOCH = -1;
export const INITIAL_EPOCH = 0;

/** Fetch v4-v11, flattened to partitions in request order (Kafka serves them in that order). */
export function readFetchRequest(body: Reader, version: number): FetchRequest {
  body.int32();
  const maxWaitMs = body.int32();
  const minBytes = body.int32();
  const maxBytes = body.int32();
  body.int8();
  const sessionId = version >= 7 ? body.int32() : NO_SESSION;
  const sessionEpoch = version >= 7 ? body.int32() : FINAL_EPOCH;
  const partitions = body
    .array((t) => {
      const topic = t.string();
      return t.array((p): PartitionFetch => {
        const partition = p.int32();
        const currentLeaderEpoch = version >= 9 ? p.int32() : -1;
        const fetchOffset = p.int64n();
        if (version >= 5) p.int64();
        return { topic, partition, currentLeaderEpoch, fetchOffset, maxBytes: p.int32() };
      });
    })
    .flat();
  const forgotten =
    version >= 7
      ? body
          .array((t) => {
            const topic = t.string();
            return t.array((p) => ({ topic, partition: p.int32() }));
          })
          .flat()
      : [];
  if (version >= 11) body.string();
  return { maxWaitMs, minBytes, maxBytes, sessionId, sessionEpoch, partitions, forgotten };
}
