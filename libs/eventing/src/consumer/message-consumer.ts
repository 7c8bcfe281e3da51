import { performance } from 'node:perf_hooks';
import { Consumer, EachMessagePayload, Kafka, Partitioners, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { InvalidMessageError, parseEnvelope } from '../envelope/kafka-message';
import { contextOfEnvelope, runInMessageContext } from '../envelope/message-context';
import { quoteIdent } from '../migrations/sql-identifiers';
import { EventingInstrumentation, noInstrumentation } from '../observability/instrumentation';
import { fullJitterDelay, sleep } from '../retry/backoff';
import { DeadLetter, deadLetter } from './dead-letter';
import {
  acquireTelemetryProducer,
  ConsumerTelemetryOptions,
  DEFAULT_TELEMETRY_TOPIC,
  publishTelemetry,
  releaseTelemetryProducer,
  telemetryEnvelope,
  TelemetryOutcome,
} from './telemetry';

/** Runs in the inbox transaction: whatever it writes (including appends via `manager`) commits with the inbox row. */
export type MessageHandler = (envelope: Envelope, manager: EntityManager) => Promise<void>;

export interface RetryPolicy {
  /** Tries in total before the message is dead-lettered. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface MessageConsumerOptions {
  readonly kafka: Kafka;
  readonly dataSource: DataSource;
  readonly schema: string;
  /** Consumer group and inbox consumer name. */
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handle: MessageHandler;
  readonly retry: RetryPolicy;
  /** Every type that may legitimately arrive; any other type is dead-lettered as invalid. */
  readonly knownTypes?: readonly string[];
  readonly instrumentation?: EventingInstrumentation;
  readonly fromBeginning?: boolean;
  /** Upper bound on a fetch's wait when a partition is idle; low values cut commit-to-handled latency on brokers without long-poll wake-ups. */
  readonly maxWaitTimeInMs?: number;
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Publishes a `MessageProcessed` record to `ops.telemetry` after each outcome, best effort.
   * Off when absent, and for a consumer of the telemetry topic itself (no records about records).
   */
  readonly telemetry?: ConsumerTelemetryOptions;
}

/**
 * Consumes with effectively-once effects: each message is handled in a transaction that first
 * claims (consumer, messageId) in the inbox, and its offset is committed only afterwards.
 */
export class MessageConsumer {
  private readonly instrumentation: EventingInstrumentation;
  private readonly knownTypes?: ReadonlySet<string>;
  private readonly inboxTable: string;
  private readonly deadLettersTable: string;
  private consumer?: Consumer;
  private producer?: Producer;
  private telemetryProducer?: Producer;
  private readonly telemetryTopic: string;
  private active = false;

  constructor(private readonly options: MessageConsumerOptions) {
    this.instrumentation = options.instrumentation ?? noInstrumentation;
    this.knownTypes = options.knownTypes && new Set(options.knownTypes);
    this.inboxTable = `${quoteIdent(options.schema)}.inbox`;
    this.deadLettersTable = `${quoteIdent(options.schema)}.dead_letters`;
    this.telemetryTopic = options.telemetry?.topic ?? DEFAULT_TELEMETRY_TOPIC;
  }

  private get telemetryEnabled(): boolean {
    return this.options.telemetry !== undefined && !this.options.topics.includes(this.telemetryTopic);
  }

  /** For health checks: false before start, after stop, and after kafkajs gave up restarting. */
  get running(): boolean {
    return this.active;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.consumer = kafka.consumer({
      groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 100,
      allowAutoTopicCreation: false,
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.active = false;
    });
    await this.producer.connect();
    if (this.telemetryEnabled) this.telemetryProducer = await acquireTelemetryProducer(kafka);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachMessage: (payload) => this.consume(payload),
    });
    this.active = true;
  }

  async stop(): Promise<void> {
    this.active = false;
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    if (this.telemetryProducer) {
      this.telemetryProducer = undefined;
      await releaseTelemetryProducer(this.options.kafka);
    }
  }

  private async consume({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const started = performance.now();
    const startedAt = Date.now();
    const report = (envelope: Envelope, outcome: TelemetryOutcome, attempt: number, error?: unknown) => {
      if (!this.telemetryProducer || !this.options.telemetry) return;
      publishTelemetry(
        this.telemetryProducer,
        this.telemetryTopic,
        telemetryEnvelope(this.options.telemetry.service, envelope, {
          consumer: groupId,
          topic,
          partition,
          offset: message.offset,
          outcome,
          attempt,
          durationMs: performance.now() - started,
          startedAt,
          error,
        }),
      );
    };
    const { groupId, retry } = this.options;
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(message.value, this.knownTypes);
    } catch (error) {
      if (!(error instanceof InvalidMessageError)) throw error;
      await this.sendToDlq(
        { topic, partition, message, error, attempts: 0, firstFailureAt: new Date() },
        started,
      );
      return;
    }
    let firstFailureAt: Date | undefined;
    for (let attempt = 1; ; attempt += 1) {
      let outcome: 'handled' | 'duplicate';
      try {
        outcome = await this.handleOnce(envelope);
      } catch (error) {
        firstFailureAt ??= new Date();
        if (attempt >= retry.attempts) {
          await this.sendToDlq(
            {
              topic,
              partition,
              message,
              error,
              attempts: attempt,
              firstFailureAt,
              messageId: envelope.messageId,
            },
            started,
          );
          report(envelope, 'dead-lettered', attempt, error);
          return;
        }
        this.instrumentation.consumed(groupId, topic, 'retried', performance.now() - started);
        report(envelope, 'retried', attempt, error);
        await sleep(fullJitterDelay(attempt, retry));
        await heartbeat();
        continue;
      }
      // Outside the retry: a failed offset commit must not count against a message already handled.
      await this.commit(topic, partition, message.offset);
      this.instrumentation.consumed(groupId, topic, outcome, performance.now() - started);
      report(envelope, outcome, attempt);
      return;
    }
  }

  private handleOnce(envelope: Envelope): Promise<'handled' | 'duplicate'> {
    return this.options.dataSource.transaction(async (manager) => {
      const claimed: unknown[] = await manager.query(
        `INSERT INTO ${this.inboxTable} (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [this.options.groupId, envelope.messageId],
      );
      if (claimed.length === 0) return 'duplicate';
      await runInMessageContext(contextOfEnvelope(envelope), () => this.options.handle(envelope, manager));
      return 'handled';
    });
  }

  private async sendToDlq(letter: Omit<DeadLetter, 'consumer'>, started: number): Promise<void> {
    await deadLetter(this.producer as Producer, this.options.dataSource.manager, this.deadLettersTable, {
      ...letter,
      consumer: this.options.groupId,
    });
    await this.commit(letter.topic, letter.partition, letter.message.offset);
    this.instrumentation.consumed(
      this.options.groupId,
      letter.topic,
      'dead-lettered',
      performance.now() - started,
    );
  }

  private async commit(topic: string, partition: number, offset: string): Promise<void> {
    await (this.consumer as Consumer).commitOffsets([
      { topic, partition, offset: (BigInt(offset) + 1n).toString() },
    ]);
  }
}
