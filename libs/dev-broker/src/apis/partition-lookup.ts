import type { BrokerContext } from '../broker-context';
import { ErrorCode } from '../protocol/error-codes';
import type { PartitionLog } from '../storage/partition-log';

export type PartitionLookup =
  | { readonly log: PartitionLog; readonly errorCode: typeof ErrorCode.NONE }
  | { readonly log: undefined; readonly errorCode: ErrorCode };

/** Resolves a partition this node leads; other leaders answer NOT_LEADER so clients route for real. */
export function lookupPartition(
  broker: BrokerContext,
  nodeId: number,
  topic: string,
  partition: number,
): PartitionLookup {
  const log = broker.store.get(topic)?.partitions[partition];
  if (!log) return { log: undefined, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  if (broker.cluster.leaderOf(topic, partition) !== nodeId) {
    return { log: undefined, errorCode: ErrorCode.NOT_LEADER_FOR_PARTITION };
  }
  return { log, errorCode: ErrorCode.NONE };
}
