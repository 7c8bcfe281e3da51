import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';
import type { PartitionLag } from '../consumer/consumer-lag';
import type { EventingInstrumentation } from './instrumentation';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * EventingInstrumentation on prom-client. Each instance owns its registry, so several
 * services (or test apps) in one process never collide on metric names.
 */
export class PrometheusInstrumentation implements EventingInstrumentation {
  readonly registry: Registry;
  private readonly appendDuration: Histogram<'stream_type'>;
  private readonly eventsAppended: Counter<'stream_type'>;
  private readonly versionConflicts: Counter<'stream_type'>;
  private readonly outboxPublished: Counter<'topic'>;
  private readonly outboxPublishLag: Histogram<'topic'>;
  private readonly outboxBacklog: Gauge;
  private readonly outboxOldestAge: Gauge;
  private readonly consumeDuration: Histogram<'consumer' | 'topic' | 'outcome'>;
  private readonly consumerRetries: Counter<'consumer' | 'topic'>;
  private readonly deadLettered: Counter<'consumer' | 'topic'>;
  private readonly lagMessages: Gauge<'consumer' | 'topic' | 'partition'>;
  private readonly lagSeconds: Gauge<'consumer' | 'topic' | 'partition'>;
  private readonly topicPresent: Gauge<'topic'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(options: { serviceName: string; registry?: Registry; defaultMetrics?: boolean }) {
    const registers = [(this.registry = options.registry ?? new Registry())];
    this.registry.setDefaultLabels({ service: options.serviceName });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });

    this.appendDuration = new Histogram({
      name: 'eventing_append_duration_seconds',
      help: 'Time to append events with their outbox rows and inline projections, by stream type',
      labelNames: ['stream_type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.eventsAppended = new Counter({
      name: 'eventing_events_appended_total',
      help: 'Events appended',
      labelNames: ['stream_type'],
      registers,
    });
    this.versionConflicts = new Counter({
      name: 'eventing_version_conflicts_total',
      help: 'Appends refused because another writer moved the stream first (HTTP 409)',
      labelNames: ['stream_type'],
      registers,
    });
    this.outboxPublished = new Counter({
      name: 'eventing_outbox_published_total',
      help: 'Outbox rows published to Kafka',
      labelNames: ['topic'],
      registers,
    });
    this.outboxPublishLag = new Histogram({
      name: 'eventing_outbox_publish_lag_seconds',
      help: 'From the append commit to the Kafka acknowledgement',
      labelNames: ['topic'],
      buckets: LAG_BUCKETS,
      registers,
    });
    this.outboxBacklog = new Gauge({
      name: 'eventing_outbox_backlog_rows',
      help: 'Outbox rows not yet published',
      registers,
    });
    this.outboxOldestAge = new Gauge({
      name: 'eventing_outbox_oldest_age_seconds',
      help: 'Age of the oldest unpublished outbox row; grows when the relay is stuck',
      registers,
    });
    this.consumeDuration = new Histogram({
      name: 'eventing_consume_duration_seconds',
      help: 'Time to handle one consumed message, by consumer, topic and outcome',
      labelNames: ['consumer', 'topic', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.consumerRetries = new Counter({
      name: 'eventing_consumer_retries_total',
      help: 'Handling attempts that failed and were retried',
      labelNames: ['consumer', 'topic'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'eventing_dead_lettered_total',
      help: 'Messages sent to <topic>.dlq after failing for good',
      labelNames: ['consumer', 'topic'],
      registers,
    });
    this.lagMessages = new Gauge({
      name: 'eventing_consumer_lag_messages',
      help: 'Messages on the partition the consumer group has not committed yet, as Kafka reports it',
      labelNames: ['consumer', 'topic', 'partition'],
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'eventing_consumer_lag_seconds',
      help: 'How long the oldest message the group has not committed has waited (0 when caught up)',
      labelNames: ['consumer', 'topic', 'partition'],
      registers,
    });
    this.topicPresent = new Gauge({
      name: 'eventing_topic_present',
      help: 'Whether a topic this service consumes exists on the broker (1) or not (0)',
      labelNames: ['topic'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency; POST routes are the command latency',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  appended(streamType: string, eventCount: number, durationMs: number): void {
    this.appendDuration.observe({ stream_type: streamType }, durationMs / 1000);
    this.eventsAppended.inc({ stream_type: streamType }, eventCount);
  }

  versionConflict(streamType: string): void {
    this.versionConflicts.inc({ stream_type: streamType });
  }

  relayPublished(topic: string, count: number, commitToPublishMs: number): void {
    this.outboxPublished.inc({ topic }, count);
    this.outboxPublishLag.observe({ topic }, commitToPublishMs / 1000);
  }

  relayBacklog(pendingRows: number, oldestAgeMs: number): void {
    this.outboxBacklog.set(pendingRows);
    this.outboxOldestAge.set(oldestAgeMs / 1000);
  }

  consumed(
    consumer: string,
    topic: string,
    outcome: 'handled' | 'duplicate' | 'retried' | 'dead-lettered',
    durationMs: number,
  ): void {
    this.consumeDuration.observe({ consumer, topic, outcome }, durationMs / 1000);
    if (outcome === 'retried') this.consumerRetries.inc({ consumer, topic });
    if (outcome === 'dead-lettered') this.deadLettered.inc({ consumer, topic });
  }

  consumerLag(lags: readonly PartitionLag[]): void {
    for (const { group, topic, partition, messages, seconds } of lags) {
      const labels = { consumer: group, topic, partition: String(partition) };
      this.lagMessages.set(labels, messages);
      this.lagSeconds.set(labels, seconds);
    }
  }

  topicsPresent(present: ReadonlyMap<string, boolean>): void {
    for (const [topic, exists] of present) this.topicPresent.set({ topic }, exists ? 1 : 0);
  }

  /** The service's PostgreSQL pool: connections in use, idle, and callers waiting for one (pool exhausted). */
  watchPool(pool: Pool): void {
    new Gauge({
      name: 'eventing_db_pool_connections',
      help: 'PostgreSQL pool connections by state; waiting counts callers queued for a connection',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
}
