import { ErrorCode } from './protocol/error-codes';
import type { BrokerNode } from './groups';

export const CONTROLLER_ID = 0;

/** Leaders never change, so every partition stays in its first leader epoch. */
export const LEADER_EPOCH = 0;

/** KIP-320: a client ahead of the broker's epoch is told to wait; one behind it, that it is fenced. */
export function leaderEpochError(currentLeaderEpoch: number): ErrorCode {
  if (currentLeaderEpoch === -1 || currentLeaderEpoch === LEADER_EPOCH) return ErrorCode.NONE;
  return currentLeaderEpoch > LEADER_EPOCH ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.FENCED_LEADER_EPOCH;
}

/** The presented cluster: every node serves the same state, each leads a share of the partitions. */
export class Cluster {
  constructor(
    readonly nodes: readonly BrokerNode[],
    readonly host: string,
  ) {}

  /** Spread round-robin from a per-topic start, stable across restarts for the same node count. */
  leaderOf(topic: string, partition: number): number {
    let hash = 0;
    for (let i = 0; i < topic.length; i++) hash = (hash * 31 + topic.charCodeAt(i)) >>> 0;
    return (hash + partition) % this.nodes.length;
  }
}
