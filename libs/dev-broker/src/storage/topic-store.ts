import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrokerLogger } from '../logger';
import { PartitionLog } from './partition-log';
import { adoptSingleFileLog, SegmentedLog } from './segmented-log';
import { effectiveConfigs, type TopicConfigs } from './topic-configs';

export interface Topic {
  readonly name: string;
  readonly partitions: readonly PartitionLog[];
  readonly configs: TopicConfigs;
}

interface TopicManifest {
  readonly partitions: number;
  readonly configs?: TopicConfigs;
}

const MANIFEST = 'topic.json';
const SYNC_INTERVAL_MS = 1000;

/** All topics of the broker, in memory or under `<dataDir>/topics/<topic>/<partition>/`. */
export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private readonly syncTimer?: NodeJS.Timeout;

  private constructor(
    private readonly topicsDir: string | undefined,
    private readonly logger: BrokerLogger,
    private readonly segmentBytes: number,
  ) {
    if (topicsDir) this.syncTimer = setInterval(() => this.sync(), SYNC_INTERVAL_MS).unref();
  }

  static open(dataDir: string | undefined, logger: BrokerLogger, segmentBytes: number): TopicStore {
    const topicsDir = dataDir === undefined ? undefined : path.resolve(dataDir, 'topics');
    const store = new TopicStore(topicsDir, logger, segmentBytes);
    if (topicsDir) {
      fs.mkdirSync(topicsDir, { recursive: true });
      for (const name of fs.readdirSync(topicsDir).sort()) store.load(name);
    }
    return store;
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  all(): Topic[] {
    return [...this.topics.values()];
  }

  /** Clears any leftover of an unfinished deletion first, so a recreated topic starts empty. */
  create(name: string, partitionCount: number, configs: TopicConfigs = {}): Topic {
    if (this.topics.has(name)) throw new Error(`topic ${name} already exists`);
    if (this.topicsDir) {
      const dir = path.join(this.topicsDir, name);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      this.writeManifest(name, { partitions: partitionCount, configs });
    }
    return this.open(name, partitionCount, configs);
  }

  /** Replaces the topic's overrides as a whole; the caller has validated them. */
  setConfigs(name: string, configs: TopicConfigs): void {
    const topic = this.existing(name);
    this.writeManifest(name, { partitions: topic.partitions.length, configs });
    this.topics.set(name, { ...topic, configs });
  }

  /** Partitions are only ever added, as in Kafka; existing ones keep their data and leaders. */
  addPartitions(name: string, partitionCount: number): void {
    const topic = this.existing(name);
    if (partitionCount <= topic.partitions.length)
      throw new Error(`topic ${name} already has ${partitionCount} partitions`);
    this.writeManifest(name, { partitions: partitionCount, configs: topic.configs });
    const added = Array.from({ length: partitionCount - topic.partitions.length }, (_, i) =>
      this.openPartition(name, topic.partitions.length + i),
    );
    this.topics.set(name, { ...topic, partitions: [...topic.partitions, ...added] });
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    for (const partition of topic.partitions) partition.close();
    if (this.topicsDir) {
      const dir = path.join(this.topicsDir, name);
      fs.rmSync(path.join(dir, MANIFEST), { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return true;
  }

  /** Moves each partition's log start past what its topic's retention.ms and retention.bytes let go. */
  enforceRetention(now: number): void {
    for (const topic of this.topics.values()) {
      const { retentionMs, retentionBytes } = effectiveConfigs(topic.configs);
      topic.partitions.forEach((partition, index) => {
        const start = partition.retainedStart(now, retentionMs, retentionBytes);
        if (start <= partition.logStartOffset) return;
        try {
          partition.advanceStart(start);
          this.logger.info(`dev-broker: retention moved the start of ${topic.name}-${index} to ${start}`);
        } catch (error) {
          this.logger.error(
            `dev-broker: retention on ${topic.name}-${index} failed: ${(error as Error).message}`,
          );
        }
      });
    }
  }

  highestProducerId(): number {
    let highest = -1;
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) highest = Math.max(highest, partition.highestProducerId());
    }
    return highest;
  }

  close(): void {
    clearInterval(this.syncTimer);
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.close();
    this.topics.clear();
  }

  private sync(): void {
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.sync();
  }

  /** A directory without a readable manifest is a topic whose creation never finished. */
  private load(name: string): void {
    const manifestPath = path.join(this.topicsDir as string, name, MANIFEST);
    let manifest: TopicManifest;
    try {
      manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as TopicManifest;
    } catch {
      this.logger.warn(`dev-broker: skipping ${path.dirname(manifestPath)}: no readable ${MANIFEST}`);
      return;
    }
    this.open(name, manifest.partitions, manifest.configs ?? {});
  }

  private existing(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`topic ${name} does not exist`);
    return topic;
  }

  /** Written aside and renamed, so a crash leaves either the old manifest or the new one. */
  private writeManifest(name: string, manifest: TopicManifest): void {
    if (!this.topicsDir) return;
    const dir = path.join(this.topicsDir, name);
    const temporary = path.join(dir, `${MANIFEST}.tmp`);
    fs.writeFileSync(temporary, JSON.stringify(manifest));
    fs.renameSync(temporary, path.join(dir, MANIFEST));
  }

  private open(name: string, partitionCount: number, configs: TopicConfigs): Topic {
    const partitions = Array.from({ length: partitionCount }, (_, index) => this.openPartition(name, index));
    const topic = { name, partitions, configs };
    this.topics.set(name, topic);
    return topic;
  }

  private openPartition(name: string, index: number): PartitionLog {
    if (!this.topicsDir) return new PartitionLog();
    const dir = path.join(this.topicsDir, name, String(index));
    adoptSingleFileLog(path.join(this.topicsDir, name, `${index}.log`), dir);
    const recovered = SegmentedLog.open(dir, this.segmentBytes, this.logger);
    const partition = new PartitionLog(recovered.file);
    partition.restore(recovered.batches, recovered.startOffset);
    return partition;
  }
}
