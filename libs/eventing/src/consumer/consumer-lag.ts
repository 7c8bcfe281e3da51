/**
 * How far a consumer group is behind, per partition: in messages (the high watermark minus the
 * committed offset) and in seconds. Kafka does not say when a message it holds was written, so
 * seconds come from a lookup table of the high watermarks seen at each poll, the way
 * kafka-lag-exporter does it: the first unconsumed message was written no later than the first
 * poll that saw the log reach past the committed offset.
 */
export interface PartitionLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly messages: number;
  readonly seconds: number;
}

interface WatermarkSample {
  readonly highWatermark: number;
  readonly seenAtMs: number;
}

/** Enough polls to date a lag of an hour at the default 15 s interval; older lags read as at least that old. */
const SAMPLES_KEPT = 240;

export class LagEstimator {
  private readonly samples = new Map<string, WatermarkSample[]>();

  /** Records a partition's high watermark as seen now; call once per poll per partition. */
  observe(topic: string, partition: number, highWatermark: number, nowMs: number): void {
    const key = `${topic}/${partition}`;
    const samples = this.samples.get(key) ?? [];
    const last = samples.at(-1);
    // Only changes are worth keeping: a quiet partition keeps the time its log last grew.
    if (!last || last.highWatermark !== highWatermark) samples.push({ highWatermark, seenAtMs: nowMs });
    if (samples.length > SAMPLES_KEPT) samples.shift();
    this.samples.set(key, samples);
  }

  /**
   * The lag of a group whose next offset to read is `committed` (the log start when it has
   * committed nothing yet). Zero seconds when it has read everything.
   */
  lagOf(
    topic: string,
    partition: number,
    committed: number,
    nowMs: number,
  ): { messages: number; seconds: number } {
    const samples = this.samples.get(`${topic}/${partition}`) ?? [];
    const latest = samples.at(-1);
    if (!latest || committed >= latest.highWatermark) return { messages: 0, seconds: 0 };
    const firstPast = samples.find((sample) => sample.highWatermark > committed) ?? samples[0];
    return {
      messages: latest.highWatermark - committed,
      seconds: Math.max(0, (nowMs - firstPast.seenAtMs) / 1000),
    };
  }
}
