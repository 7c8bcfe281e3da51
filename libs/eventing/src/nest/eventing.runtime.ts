import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService } from '@nestjs/core';
import { Kafka } from 'kafkajs';
import type { EventingEnv } from '../config/eventing.env';
import { ConsumerLagMonitor } from '../consumer/consumer-lag-monitor';
import { InstanceConsumer } from '../consumer/instance-consumer';
import { MessageConsumer } from '../consumer/message-consumer';
import { EventStore } from '../event-store/event-store';
import { LoopHeartbeats } from '../health/loop-heartbeats';
import { settlesWithin } from '../health/with-timeout';
import { PrometheusInstrumentation } from '../observability/prometheus.instrumentation';
import { OutboxRelay } from '../outbox/outbox-relay';
import { TablePruner } from '../pruning/table-pruner';
import { ensureTopics, withConfiguredPartitions } from '../topics/topic-registry';
import {
  CONSUMES_TOPIC,
  InstanceTopicConsumer,
  TopicConsumer,
  TopicConsumerMetadata,
} from './consumes-topic.decorator';
import { EVENTING_OPTIONS, EventingModuleOptions } from './eventing.options';
import { BACKGROUND_WORK, type BackgroundWork, ProcessRole } from './process-role';

export interface RegisteredConsumer {
  readonly group: string;
  readonly topics: readonly string[];
  readonly consumer: Pick<MessageConsumer, 'running' | 'start' | 'stop'>;
  /** Whether the group commits offsets, so that its lag means something (instance consumers replay instead). */
  readonly commitsOffsets: boolean;
}

/**
 * Brings the service onto Kafka: its topics first, then the relay, then the consumers. Until
 * a step succeeds it is retried in the background and readiness reports why, so a missing
 * topic is one clear log line and a failing probe, never a silent stall. The one place that
 * reads PROCESS_ROLE for background work: an api process starts none of it, a worker all of it.
 */
@Injectable()
export class EventingRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Eventing');
  private registered: RegisteredConsumer[] = [];
  private started = new Set<RegisteredConsumer['consumer']>();
  private relayStarted = false;
  private retryTimer?: NodeJS.Timeout;
  private stopping = false;
  private lastProblem?: string;
  private lagMonitor?: ConsumerLagMonitor;

  constructor(
    @Inject(EVENTING_OPTIONS) private readonly options: EventingModuleOptions,
    @Inject(ConfigService) private readonly config: ConfigService<EventingEnv, true>,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(PrometheusInstrumentation) private readonly instrumentation: PrometheusInstrumentation,
    @Inject(LoopHeartbeats) private readonly heartbeats: LoopHeartbeats,
    @Inject(TablePruner) private readonly pruner: TablePruner,
    @Inject(ProcessRole) private readonly role: ProcessRole,
  ) {}

  /** Why the service is not fully on Kafka yet; undefined once topics, relay and consumers are up. */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  consumers(): readonly RegisteredConsumer[] {
    return this.registered;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.role.runsWorkers) {
      this.logger.log(
        `${this.options.serviceName} runs PROCESS_ROLE=api: no consumers, outbox relay or background loops here`,
      );
      return;
    }
    this.registered = this.discoverConsumers();
    const loops = this.discoverBackgroundWork();
    await this.bringUp();
    // Once the other modules' bootstrap hooks have run (Nest runs this global module's first): a
    // loop's first tick may execute commands, whose handlers @nestjs/cqrs registers in its own hook.
    setImmediate(() => {
      if (this.stopping) return;
      for (const work of loops) work.start();
      this.pruner.start();
    });
    this.lagMonitor = new ConsumerLagMonitor({
      kafka: this.kafka,
      groups: () => this.registered.filter((registered) => registered.commitsOffsets),
      intervalMs: this.config.get('CONSUMER_LAG_INTERVAL_MS', { infer: true }),
      report: (lags) => this.instrumentation.consumerLag(lags),
      reportTopics: (present) => this.instrumentation.topicsPresent(present),
      onProblem: (message) => this.logger.warn(message),
    });
    this.lagMonitor.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    // Bounded like the consumers below: a round stuck on an unreachable broker does not hold the exit.
    if (this.lagMonitor)
      await settlesWithin(
        this.lagMonitor.stop(),
        this.config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }) / 4,
      );
    // Every registered consumer, not only those started: one may still be starting in a retry of
    // bringUp, and stop() waits for that start to settle before disconnecting. Bounded, so a
    // consumer stuck on a dead connection cannot keep the process from exiting; what it had not
    // committed is delivered again to the next member of its group.
    const timeoutMs = this.config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }) / 2;
    const consumersStopped = Promise.all(
      this.registered.map(({ consumer }) => consumer.stop().catch(() => undefined)),
    );
    if ((await settlesWithin(consumersStopped, timeoutMs)) === 'late')
      this.logger.warn(`consumers did not stop within ${timeoutMs} ms; leaving them to the exit`);
    await this.relay.stop();
  }

  private async bringUp(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const topics = withConfiguredPartitions(
        this.options.topics,
        this.config.get('TOPIC_PARTITIONS', { infer: true }),
      );
      const owned = topics.filter((topic) => topic.owned);
      const consumed = topics.filter((topic) => !topic.owned);
      const { grown } = await ensureTopics(admin, owned, this.options.serviceName);
      if (grown.length > 0) this.logger.log(`grew partitions to TOPIC_PARTITIONS: ${grown.join(', ')}`);
      if (!this.relayStarted) {
        this.relay.start();
        this.relayStarted = true;
      }
      await ensureTopics(admin, consumed, this.options.serviceName);
      for (const { consumer } of this.registered) {
        if (this.stopping) return;
        if (this.started.has(consumer)) continue;
        // A half-started consumer keeps its connections; stop it so the retry starts clean.
        await consumer.start().catch(async (error: unknown) => {
          await consumer.stop().catch(() => undefined);
          throw error;
        });
        this.started.add(consumer);
      }
      if (this.lastProblem)
        this.logger.log('eventing recovered: topics present, relay and consumers running');
      this.lastProblem = undefined;
    } catch (error) {
      this.report(error);
      if (!this.stopping)
        this.retryTimer = setTimeout(
          () => void this.bringUp(),
          this.config.get('KAFKA_TOPIC_RECHECK_MS', { infer: true }),
        );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private report(error: unknown): void {
    const problem = error instanceof Error ? error.message : String(error);
    if (problem !== this.lastProblem) {
      this.logger.error(
        `${this.options.serviceName} is not ready on Kafka: ${problem}; retrying in the background`,
      );
    }
    this.lastProblem = problem;
  }

  private discoverConsumers(): RegisteredConsumer[] {
    const declared = new Set(this.options.topics.filter((topic) => !topic.owned).map((topic) => topic.name));
    return this.discovery.getProviders().flatMap((wrapper) => {
      const { metatype, instance } = wrapper;
      const metadata: TopicConsumerMetadata | undefined =
        metatype && instance ? Reflect.getMetadata(CONSUMES_TOPIC, metatype) : undefined;
      if (!metatype || !metadata) return [];
      const name = metatype.name;
      const undeclared = metadata.topics.filter((topic) => !declared.has(topic) && !this.isOwned(topic));
      if (undeclared.length > 0) {
        throw new Error(
          `${name} consumes ${undeclared.join(', ')}, which EventingModule.forRoot({ topics }) does not declare`,
        );
      }
      if (metadata.everyInstance) return [this.instanceConsumer(name, metadata, instance)];
      const handler = instance as TopicConsumer;
      const group = metadata.group ?? `${this.options.serviceName}.${name}`;
      const consumer = new MessageConsumer({
        kafka: this.kafka,
        dataSource: this.store.dataSource,
        schema: this.store.schema,
        groupId: group,
        topics: metadata.topics,
        // Personal fields sealed for this service reach its handlers open.
        handle: async (envelope, manager) =>
          handler.handle(await this.store.open(envelope, manager), manager),
        ...(handler.handleBatch && {
          handleBatch: async (envelopes, manager) =>
            handler.handleBatch!(
              await Promise.all(envelopes.map((envelope) => this.store.open(envelope, manager))),
              manager,
            ),
        }),
        knownTypes: metadata.knownTypes,
        handledTypes: metadata.handles,
        handlesMessage: metadata.handlesMessage,
        fromBeginning: metadata.fromBeginning,
        idempotent: metadata.idempotent,
        partitionsConsumedConcurrently: this.config.get('CONSUMER_CONCURRENCY', { infer: true }),
        maxBatchMessages:
          metadata.maxBatchMessages ?? this.config.get('CONSUMER_BATCH_MAX_MESSAGES', { infer: true }),
        session: {
          sessionTimeout: this.config.get('KAFKA_SESSION_TIMEOUT_MS', { infer: true }),
          heartbeatInterval: this.config.get('KAFKA_HEARTBEAT_INTERVAL_MS', { infer: true }),
        },
        instrumentation: this.instrumentation,
        heartbeat: this.heartbeats.of(`consumer ${group}`),
        telemetry: { service: this.options.serviceName },
        retry: {
          attempts: metadata.retry?.attempts ?? this.config.get('CONSUMER_MAX_ATTEMPTS', { infer: true }),
          initialDelayMs:
            metadata.retry?.initialDelayMs ?? this.config.get('CONSUMER_RETRY_BASE_MS', { infer: true }),
          maxDelayMs: metadata.retry?.maxDelayMs ?? this.config.get('CONSUMER_RETRY_MAX_MS', { infer: true }),
        },
      });
      return [{ group, topics: metadata.topics, consumer, commitsOffsets: true }];
    });
  }

  private discoverBackgroundWork(): BackgroundWork[] {
    return this.discovery
      .getProviders()
      .filter(
        ({ metatype, instance }) => metatype && instance && Reflect.getMetadata(BACKGROUND_WORK, metatype),
      )
      .map(({ instance }) => instance as BackgroundWork);
  }

  private instanceConsumer(
    name: string,
    metadata: TopicConsumerMetadata,
    handler: InstanceTopicConsumer,
  ): RegisteredConsumer {
    const consumer = new InstanceConsumer({
      kafka: this.kafka,
      groupPrefix: metadata.group ?? `${this.options.serviceName}.${name}`,
      topics: metadata.topics,
      replaySince: () => handler.replaySince(),
      handle: (envelope) => handler.handle(envelope),
      onProblem: (message) => this.logger.warn(message),
    });
    return { group: consumer.groupId, topics: metadata.topics, consumer, commitsOffsets: false };
  }

  private isOwned(topic: string): boolean {
    return this.options.topics.some((declaration) => declaration.owned && declaration.name === topic);
  }
}
