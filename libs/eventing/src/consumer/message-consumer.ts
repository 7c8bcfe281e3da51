import { contractUpcasters } from '@tradecore/contracts';
import { performance } from 'node:perf_hooks';
import { type EachMessagePayload, type Producer } from 'kafkajs';
import { idempotentProducer } from '../topics/producers';
import type { Envelope } from '../envelope/envelope';
import { InvalidMessageError, parseEnvelope } from '../envelope/kafka-message';
import { type UpcasterChain, upcasterChain } from '../event-store/upcaster';
import { quoteIdent } from '../migrations/sql-identifiers';
import { LoopHeartbeat } from '../health/loop-heartbeats';
import { isDependencyOutage } from '../retry/dependency-outage';
import { inboxTransaction } from '../postgres/inbox-transaction';
import { type EventingInstrumentation, noInstrumentation } from '../observability/instrumentation';
import { type BackoffPolicy, exponentialDelay, fullJitterDelay, sleep } from '../retry/backoff';
import { traceHop } from '../observability/tracing';
import { FetchBatches, type Settled } from './fetch-batches';
import { logDeadLetter, logRetry } from './consumer-log';
import { consumeHop } from './consume-hop';
import { type DeadLetter, deadLetter, noteReplayed, replayCountOf } from './dead-letter';
import type { MessageConsumerOptions } from './message-consumer.options';
import { RestartingConsumer } from './restarting-consumer';
import {
  acquireTelemetryProducer,
  DEFAULT_TELEMETRY_TOPIC,
  publishTelemetry,
  releaseTelemetryProducer,
  telemetryEnvelope,
  type TelemetryFacts,
  type TelemetryOutcome,
} from './telemetry';

export type { MessageConsumerOptions, MessageHandler } from './message-consumer.options';

const BATCH_PARTITIONS_AT_ONCE = 32;
const DEFAULT_RESTART_BACKOFF: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 30_000 };
/** Short steps, so handling resumes within a couple of seconds of PostgreSQL coming back. */
const OUTAGE_BACKOFF: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 2000 };

/**
 * Consumes with effectively-once effects: each message is handled in a transaction that first
 * claims (consumer, messageId) in the inbox. The messages of one partition's fetch share that
 * transaction (up to `maxBatchMessages`); if any of them fails, the lot is rolled back and handled
 * again one message per transaction, with retries and the DLQ. Offsets of handled messages are
 * committed once per fetched batch, never before their handling committed: what a crash leaves
 * uncommitted is delivered again and recognised by the inbox.
 */
export class MessageConsumer {
  private readonly instrumentation: EventingInstrumentation;
  private readonly knownTypes?: ReadonlySet<string>;
  private readonly upcast: UpcasterChain;
  private readonly handledTypes?: ReadonlySet<string>;
  /** Absent for an idempotent handler, which claims nothing. */
  private readonly inboxTable?: string;
  private readonly deadLettersTable: string;
  private readonly group: RestartingConsumer;
  private producer?: Producer;
  private telemetryProducer?: Producer;
  private readonly telemetryTopic: string;
  private stopping = false;
  private starting?: Promise<void>;
  private readonly heartbeat: LoopHeartbeat;

  constructor(private readonly options: MessageConsumerOptions) {
    this.instrumentation = options.instrumentation ?? noInstrumentation;
    this.heartbeat = options.heartbeat ?? new LoopHeartbeat(`consumer ${options.groupId}`);
    this.knownTypes = options.knownTypes && new Set(options.knownTypes);
    this.upcast = upcasterChain(options.upcasters ?? contractUpcasters);
    this.handledTypes = options.handledTypes && new Set(options.handledTypes);
    if (!options.idempotent) this.inboxTable = `${quoteIdent(options.schema)}.inbox`;
    this.deadLettersTable = `${quoteIdent(options.schema)}.dead_letters`;
    this.telemetryTopic = options.telemetry?.topic ?? DEFAULT_TELEMETRY_TOPIC;
    const fetches = new FetchBatches(options, this.inboxTable, this.heartbeat, {
      parse: (message) => parseEnvelope(message.value, this.knownTypes, this.upcast),
      handles: (envelope) => this.handles(envelope),
      consumeOne: (payload) => this.consume(payload),
      settled: (settled) => this.settle(settled),
    });
    this.group = new RestartingConsumer({
      kafka: options.kafka,
      groupId: options.groupId,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? true,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 100,
      session: options.session,
      run: {
        // A batch consumer takes every partition of a fetch at once, so their batches share a transaction.
        partitionsConsumedConcurrently: options.handleBatch
          ? Math.max(BATCH_PARTITIONS_AT_ONCE, options.partitionsConsumedConcurrently ?? 1)
          : (options.partitionsConsumedConcurrently ?? 1),
        // Offsets are resolved by hand as messages commit, so a stop mid-fetch leaves the rest uncommitted.
        eachBatchAutoResolve: false,
        eachBatch: fetches.consume,
      },
      restartBackoff: options.restartBackoff ?? DEFAULT_RESTART_BACKOFF,
      onCrash:
        options.onCrash ??
        ((error, delayMs) =>
          console.error(
            `consumer ${options.groupId} crashed, restarting in ${delayMs} ms: ${error.message}`,
          )),
    });
  }

  private get telemetryEnabled(): boolean {
    return this.options.telemetry !== undefined && !this.options.topics.includes(this.telemetryTopic);
  }

  /** For health checks: false before start, after stop, and from a crash until a fresh consumer has joined. */
  get running(): boolean {
    return this.group.running;
  }

  /** Resolves once the consumer joined its group, or crashed doing so and will restart; throws if it cannot connect or subscribe. */
  start(): Promise<void> {
    this.stopping = false;
    this.starting = this.connectAndJoin();
    return this.starting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.group.stop();
    await this.starting?.catch(() => undefined);
    await this.producer?.disconnect();
    if (this.telemetryProducer) {
      this.telemetryProducer = undefined;
      await releaseTelemetryProducer(this.options.kafka);
    }
  }

  private async connectAndJoin(): Promise<void> {
    this.producer = idempotentProducer(this.options.kafka);
    await this.producer.connect();
    if (this.telemetryEnabled) this.telemetryProducer = await acquireTelemetryProducer(this.options.kafka);
    if (!this.stopping) await this.group.start();
  }

  private async settle({ topic, partition, message, envelope, outcome, ...timing }: Settled): Promise<void> {
    await this.noteReplay(message, envelope);
    this.instrumentation.consumed(this.options.groupId, topic, outcome, timing.durationMs);
    this.report(envelope, { topic, partition, offset: message.offset, outcome, attempt: 1, ...timing });
  }

  private report(envelope: Envelope, facts: Omit<TelemetryFacts, 'consumer'>): void {
    if (!this.telemetryProducer || !this.options.telemetry) return;
    const { service } = this.options.telemetry;
    const record = telemetryEnvelope(service, envelope, { ...facts, consumer: this.options.groupId });
    publishTelemetry(this.telemetryProducer, this.telemetryTopic, record);
  }

  private async consume({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const started = performance.now();
    const startedAt = Date.now();
    const report = (envelope: Envelope, outcome: TelemetryOutcome, attempt: number, error?: unknown) => {
      const durationMs = performance.now() - started;
      const { offset } = message;
      this.report(envelope, { topic, partition, offset, outcome, attempt, durationMs, startedAt, error });
    };
    const { groupId, retry } = this.options;
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(message.value, this.knownTypes, this.upcast);
    } catch (error) {
      if (!(error instanceof InvalidMessageError)) throw error;
      await this.sendToDlq(
        { topic, partition, message, error, attempts: 0, firstFailureAt: new Date() },
        started,
      );
      return;
    }
    if (!this.handles(envelope)) return;
    await this.noteReplay(message, envelope);
    let firstFailureAt: Date | undefined;
    let outageWaits = 0;
    for (let attempt = 1; ; attempt += 1) {
      let outcome: 'handled' | 'duplicate';
      try {
        outcome = await this.handleOnce(envelope);
      } catch (error) {
        if (isDependencyOutage(error)) {
          // A dependency, not the message, failed: wait for it without spending an attempt or dead-lettering.
          // Stopping, the message stays uncommitted and is delivered again.
          if (this.stopping) throw error;
          attempt -= 1;
          outageWaits += 1;
          await sleep(exponentialDelay(outageWaits, OUTAGE_BACKOFF));
          await heartbeat();
          continue;
        }
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
        const delayMs = fullJitterDelay(attempt, retry);
        logRetry(groupId, topic, envelope, attempt, error, delayMs);
        await sleep(delayMs);
        await heartbeat();
        continue;
      }
      this.instrumentation.consumed(groupId, topic, outcome, performance.now() - started);
      report(envelope, outcome, attempt);
      return;
    }
  }

  private async noteReplay(message: EachMessagePayload['message'], envelope: Envelope): Promise<void> {
    const replays = replayCountOf(message);
    if (replays === 0) return;
    const { dataSource, groupId } = this.options;
    await noteReplayed(dataSource.manager, this.deadLettersTable, groupId, envelope.messageId, replays);
  }

  private handles(envelope: Envelope): boolean {
    const ofHandledType = this.handledTypes?.has(envelope.type) ?? true;
    return ofHandledType && (this.options.handlesMessage?.(envelope) ?? true);
  }

  private async handleOnce(envelope: Envelope): Promise<'handled' | 'duplicate'> {
    const { dataSource, groupId, handle } = this.options;
    const done = this.heartbeat.begin();
    try {
      const fresh = await traceHop(consumeHop(groupId, envelope), () =>
        inboxTransaction(dataSource, this.inboxTable, groupId, [envelope.messageId], (_, manager) =>
          handle(envelope, manager),
        ),
      );
      return fresh.size > 0 ? 'handled' : 'duplicate';
    } finally {
      done();
    }
  }

  private async sendToDlq(letter: Omit<DeadLetter, 'consumer'>, started: number): Promise<void> {
    await deadLetter(this.producer as Producer, this.options.dataSource.manager, this.deadLettersTable, {
      ...letter,
      consumer: this.options.groupId,
    });
    logDeadLetter(this.options.groupId, letter.topic, letter.message, letter.attempts, letter.error);
    const durationMs = performance.now() - started;
    this.instrumentation.consumed(this.options.groupId, letter.topic, 'dead-lettered', durationMs);
  }
}
