import { performance } from 'node:perf_hooks';
import { type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { idempotentProducer } from '../topics/producers';
import type { DataSource } from 'typeorm';
import { quoteIdent } from '../migrations/sql-identifiers';
import { type EventingInstrumentation, noInstrumentation } from '../observability/instrumentation';
import { LoopHeartbeat } from '../health/loop-heartbeats';
import { startPublishSpans } from '../observability/tracing';
import { settlesWithin } from '../health/with-timeout';
import { type BackoffPolicy, exponentialDelay } from '../retry/backoff';
import { deleteOutboxRows, type OutboxRow, readOutbox } from './outbox-rows';
import { registerLocalRelay } from './local-relays';
import { RelayLeadership } from './relay-leadership';

export interface OutboxRelayOptions {
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly kafka: Kafka;
  readonly serviceName: string;
  readonly instrumentation?: EventingInstrumentation;
  /** Fallback when a notification is missed (e.g. the listening session reconnected). */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** How often a standby replica tries to take over the relay. */
  readonly standbyRetryMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly backlogReportMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Marks each pass, so liveness sees a relay stuck on a connection that never answers. */
  readonly heartbeat?: LoopHeartbeat;
  /** Longest stop() waits for the pass in flight before dropping the relay's session. */
  readonly stopTimeoutMs?: number;
}

export interface OutboxBacklog {
  readonly pendingRows: number;
  readonly oldestAgeMs: number;
}

/**
 * Publishes committed outbox rows to Kafka in id order. One replica per schema holds a session
 * advisory lock and relays; the others stand by, so per-stream order never depends on a race.
 */
export class OutboxRelay {
  private readonly options: Required<Omit<OutboxRelayOptions, 'instrumentation' | 'onError' | 'heartbeat'>>;
  private readonly instrumentation: EventingInstrumentation;
  private readonly onError: (error: unknown) => void;
  private readonly table: string;
  private producer?: Producer;
  private producerConnected = false;
  private readonly leadership: RelayLeadership;
  private running = false;
  private loop?: Promise<void>;
  private backlogTimer?: NodeJS.Timeout;
  private notified = false;
  private reportingBacklog = false;
  private readonly heartbeat: LoopHeartbeat;
  private wakeUp?: () => void;
  private unregister?: () => void;

  constructor(options: OutboxRelayOptions) {
    this.options = {
      pollIntervalMs: 1000,
      batchSize: 500,
      standbyRetryMs: 2000,
      backoff: { initialDelayMs: 100, maxDelayMs: 5000 },
      backlogReportMs: 5000,
      stopTimeoutMs: 10_000,
      ...options,
    };
    this.instrumentation = options.instrumentation ?? noInstrumentation;
    this.heartbeat = options.heartbeat ?? new LoopHeartbeat('outbox-relay');
    this.onError =
      options.onError ??
      ((error) => console.warn(`outbox relay ${options.serviceName}: ${(error as Error).message}`));
    this.table = `${quoteIdent(options.schema)}.outbox`;
    this.leadership = new RelayLeadership(options.dataSource, options.schema, () => this.wake());
  }

  /** True while this replica holds the relay lock (the others are standing by). */
  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Bounded, so a broker outage surfaces here and the relay backs off without holding row locks forever.
    this.producer = idempotentProducer(this.options.kafka, {
      retries: 5,
      initialRetryTime: 100,
      maxRetryTime: 2000,
    });
    this.unregister = registerLocalRelay(this.options.dataSource, this.options.schema, this);
    this.loop = this.run();
    this.backlogTimer = setInterval(() => void this.reportBacklog(), this.options.backlogReportMs);
  }

  /**
   * Lets the batch in flight finish (published and marked), then releases the lock. Bounded: a pass
   * stuck on a dead connection is abandoned after stopTimeoutMs and its session dropped, which
   * releases the lock as surely; rows it sent but did not delete are sent again by the next relay.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unregister?.();
    clearInterval(this.backlogTimer);
    this.wake();
    const { stopTimeoutMs } = this.options;
    if ((await settlesWithin(this.loop, stopTimeoutMs)) === 'late') {
      this.onError(
        new Error(`relay pass did not finish within ${stopTimeoutMs} ms of stop; dropping its session`),
      );
      await this.leadership.release();
    }
    await settlesWithin(
      this.producer?.disconnect().catch(() => undefined),
      stopTimeoutMs,
    );
    this.producerConnected = false;
  }

  async backlog(): Promise<OutboxBacklog> {
    const rows: { pending: number; oldest_ms: number | null }[] = await this.options.dataSource.query(
      `SELECT count(*)::int AS pending, (extract(epoch FROM clock_timestamp() - min(created_at)) * 1000)::float8 AS oldest_ms
       FROM ${this.table}`,
    );
    return { pendingRows: rows[0].pending, oldestAgeMs: Math.max(0, rows[0].oldest_ms ?? 0) };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let waitMs = this.options.pollIntervalMs;
      let wakeOnNotify = true;
      const passDone = this.heartbeat.begin();
      try {
        if (await this.leadership.acquire()) {
          this.notified = false;
          await this.publishAvailable();
        } else waitMs = this.options.standbyRetryMs;
        failures = 0;
      } catch (error) {
        failures += 1;
        this.onError(error);
        waitMs = exponentialDelay(failures, this.options.backoff);
        wakeOnNotify = false;
      } finally {
        passDone();
      }
      await this.waitForWake(waitMs, wakeOnNotify);
    }
    await this.leadership.release();
  }

  /**
   * Publishes until a read comes back short. Reading batch n+1 overlaps deleting batch n; sends stay
   * strictly sequential, so Kafka sees id order. A failed send leaves its rows and every later row
   * in the outbox, to be sent again in order by the next pass.
   */
  private async publishAvailable(): Promise<void> {
    const { dataSource, batchSize } = this.options;
    // Within one pass each read starts after the previous one, so it does not wade through the index
    // entries of rows deleted moments ago. A row committed late with a lower id is safe: its stream
    // cannot have later events yet (the version guard), and the next pass starts from the beginning.
    let after = '0';
    let deleting: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const rows = await readOutbox(dataSource, this.table, batchSize, after);
        if (rows.length === 0) break;
        await this.send(rows);
        await deleting;
        deleting = deleteOutboxRows(dataSource, this.table, rows);
        deleting.catch(() => undefined); // awaited before the next delete and at the end
        after = rows[rows.length - 1].id;
        if (rows.length < batchSize || !this.running) break;
      }
    } finally {
      await deleting;
    }
  }

  private async send(rows: readonly OutboxRow[]): Promise<void> {
    // A replica whose lock session died (or was dropped by a stop that could not wait) may already
    // have been replaced; sending now could interleave with the new relay.
    if (!this.leadership.isLeader) throw new Error('relay lost its lock session; standing down');
    const producer = this.producer as Producer;
    if (!this.producerConnected) {
      await producer.connect();
      this.producerConnected = true;
    }
    const byTopic = new Map<string, { messages: Message[]; oldestAgeMs: number }>();
    const outgoing = rows.map((row) => ({ topic: row.topic, headers: JSON.parse(row.headers) }));
    for (const [index, row] of rows.entries()) {
      const group = byTopic.get(row.topic) ?? { messages: [], oldestAgeMs: 0 };
      group.messages.push({ key: row.key, value: row.value, headers: outgoing[index].headers });
      group.oldestAgeMs = Math.max(group.oldestAgeMs, row.age_ms);
      byTopic.set(row.topic, group);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, group]) => ({
      topic,
      messages: group.messages,
    }));
    const published = startPublishSpans(outgoing);
    try {
      await producer.sendBatch({ topicMessages, acks: -1 });
      published();
    } catch (error) {
      published(error);
      // Reconnect from scratch next time: after an outage kafkajs may hold stale connections.
      this.producerConnected = false;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    for (const [topic, group] of byTopic)
      this.instrumentation.relayPublished(topic, group.messages.length, group.oldestAgeMs);
  }

  private async reportBacklog(): Promise<void> {
    // A report still waiting on a slow database is not joined by another one each period.
    if (this.reportingBacklog) return;
    this.reportingBacklog = true;
    try {
      const { pendingRows, oldestAgeMs } = await this.backlog();
      this.instrumentation.relayBacklog(pendingRows, oldestAgeMs);
    } catch (error) {
      this.onError(error);
    } finally {
      this.reportingBacklog = false;
    }
  }

  /** A commit is waiting to be published (a NOTIFY, or a commit in this process while this relay leads). */
  wake(): void {
    this.notified = true;
    this.wakeUp?.();
  }

  /** Returns at once if a commit was notified since the last batch started. */
  private async waitForWake(ms: number, wakeOnNotify = true): Promise<void> {
    if (wakeOnNotify && this.notified) return;
    if (!this.running) return;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        if (wakeOnNotify || !this.running || performance.now() - started >= ms) done();
      };
    });
    this.wakeUp = undefined;
  }
}
