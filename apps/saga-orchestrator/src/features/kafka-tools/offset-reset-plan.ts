/** Where a consumer group should resume on one partition, and where it is now. */
export interface PartitionMove {
  readonly partition: number;
  /** The committed offset now; null when the group has committed nothing on this partition. */
  readonly from: string | null;
  readonly to: string;
}

export interface PartitionWatermarks {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

export type ResetTarget =
  | { readonly to: 'earliest' }
  | { readonly to: 'latest' }
  /** The first offset at or after a time, per partition, as Kafka's ListOffsets answers it. */
  | { readonly to: 'timestamp'; readonly offsetsAtTime: ReadonlyMap<number, string> }
  | { readonly to: 'offsets'; readonly offsets: ReadonlyMap<number, string> };

/**
 * The offsets a reset commits, each kept inside the partition's log (an offset past the end
 * would be reset again by the consumer's own policy, one before the start does not exist).
 * Partitions an `offsets` reset does not name keep their position.
 */
export function planOffsetReset(
  watermarks: readonly PartitionWatermarks[],
  committed: ReadonlyMap<number, string>,
  target: ResetTarget,
): PartitionMove[] {
  return watermarks.flatMap(({ partition, low, high }) => {
    const from = committed.get(partition) ?? null;
    const wanted = wantedOffset(target, partition, low, high);
    if (wanted === undefined) return [];
    const clamped = BigInt(wanted) < BigInt(low) ? low : BigInt(wanted) > BigInt(high) ? high : wanted;
    return [{ partition, from, to: clamped }];
  });
}

function wantedOffset(target: ResetTarget, partition: number, low: string, high: string): string | undefined {
  switch (target.to) {
    case 'earliest':
      return low;
    case 'latest':
      return high;
    case 'timestamp':
      // Nothing written at or after the time: the group resumes at the end.
      return target.offsetsAtTime.get(partition) ?? high;
    case 'offsets':
      return target.offsets.get(partition);
  }
}
