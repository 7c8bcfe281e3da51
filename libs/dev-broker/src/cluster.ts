import type { BrokerNode } from './groups';

export const CONTROLLER_ID = 0;

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
