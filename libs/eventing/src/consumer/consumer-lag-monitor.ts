import type { Admin, Kafka } from 'kafkajs';
import { LagEstimator, type PartitionLag } from './consumer-lag';

export interface ConsumerLagMonitorOptions {
  readonly kafka: Kafka;
  /** The groups whose lag this process reports: its own consumers'. */
  readonly groups: () => readonly { group: string; topics: readonly string[] }[];
  readonly intervalMs: number;
  readonly report: (lags: readonly PartitionLag[]) => void;
  /** Whether each topic the groups read exists: a missing one has no lag to measure, and is an alert of its own. */
  readonly reportTopics?: (present: ReadonlyMap<string, boolean>) => void;
  readonly onProblem: (message: string) => void;
}

/**
 * Polls Kafka for how far each of the service's consumer groups is behind. It asks the broker,
 * not the consumer, so a consumer that is stuck or crashed still shows its lag growing.
 */
export class ConsumerLagMonitor {
  private readonly estimator = new LagEstimator();
  private admin?: Admin;
  private timer?: NodeJS.Timeout;
  private failing = false;
  private stopped = false;
  private polling?: Promise<readonly PartitionLag[]>;

  constructor(private readonly options: ConsumerLagMonitorOptions) {}

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs);
    this.timer.unref();
    void this.poll();
  }

  /** Waits for a round in progress, so no admin connection it opens outlives the service. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling?.catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  /** One round: every group's lag on every partition of its topics. Public for tests. */
  poll(): Promise<readonly PartitionLag[]> {
    if (this.stopped) return Promise.resolve([]);
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<readonly PartitionLag[]> {
    try {
      const lags = await this.measure();
      this.options.report(lags);
      if (this.failing) this.options.onProblem('consumer lag is measured again');
      this.failing = false;
      return lags;
    } catch (error) {
      // The next poll reconnects; lag gauges keep their last values meanwhile.
      if (!this.failing) this.options.onProblem(`cannot measure consumer lag: ${(error as Error).message}`);
      this.failing = true;
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
      return [];
    }
  }

  private async measure(): Promise<PartitionLag[]> {
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const consumed = [...new Set(this.options.groups().flatMap((group) => group.topics))];
    this.options.reportTopics?.(new Map(consumed.map((topic) => [topic, existing.has(topic)])));
    const groups = this.options
      .groups()
      .map(({ group, topics }) => ({ group, topics: topics.filter((topic) => existing.has(topic)) }))
      .filter(({ topics }) => topics.length > 0);
    const logStart = new Map<string, number>();
    for (const topic of new Set(groups.flatMap((group) => group.topics))) {
      const now = Date.now();
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        this.estimator.observe(topic, partition, Number(high), now);
        logStart.set(`${topic}/${partition}`, Number(low));
      }
    }
    const lags: PartitionLag[] = [];
    for (const { group, topics } of groups) {
      const committed = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
      const now = Date.now();
      for (const { topic, partitions } of committed) {
        for (const { partition, offset } of partitions) {
          // Nothing committed yet: the group starts from the log start.
          const next = Number(offset) >= 0 ? Number(offset) : (logStart.get(`${topic}/${partition}`) ?? 0);
          lags.push({ group, topic, partition, ...this.estimator.lagOf(topic, partition, next, now) });
        }
      }
    }
    return lags;
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.options.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}
