import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { topicNames } from '@tradecore/contracts';
import {
  DLQ_HEADERS,
  dlqTopicOf,
  headersToStrings,
  idempotentProducer,
  replayedMessage,
} from '@tradecore/eventing';
import {
  type BackgroundWork,
  EVENTING_OPTIONS,
  EventingModuleOptions,
  EventingEnv,
  RunsInWorkers,
} from '@tradecore/eventing/nest';
import { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';

const DLQ_TOPICS = topicNames.map((topic) => dlqTopicOf(topic));

/** PostgreSQL text and jsonb refuse NUL, which poison bytes carry; an unstorable letter would stall the mirror. */
const storable = (text: string | undefined): string | null => text?.replaceAll('\u0000', '\\u0000') ?? null;

export interface ReplaySelection {
  readonly ids?: readonly string[];
  readonly topic?: string;
  readonly all?: boolean;
}

interface DlqRow {
  id: string;
  original_topic: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  replay_count: number;
}

/**
 * The dead-letter ledger of record: every service's `<topic>.dlq` mirrored into one table, which
 * the ops API, the dashboard and the metrics read. Replay (the only one) re-produces the original
 * key, value and headers to the original topic, where the consumer's inbox skips whatever it had
 * already handled and the service's own `dead_letters` record notes the replay.
 */
@Injectable()
@RunsInWorkers()
export class DlqMirror implements BackgroundWork, OnApplicationShutdown {
  private readonly logger = new Logger('DlqMirror');
  private consumer?: Consumer;
  private producer?: Producer;
  private retryTimer?: NodeJS.Timeout;
  private starting?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EVENTING_OPTIONS) private readonly options: EventingModuleOptions,
    @Inject(ConfigService) private readonly config: ConfigService<EventingEnv, true>,
  ) {}

  private get table(): string {
    return `"${this.options.schema}".dlq_message`;
  }

  start(): void {
    this.starting = this.subscribe();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    // kafkajs cannot stop a consumer still joining its group (kafkajs#1639): it would finish the
    // join after the disconnect and linger as a member. So the start settles first.
    await this.starting?.catch(() => undefined);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }

  async replay(selection: ReplaySelection): Promise<{ replayed: string[] }> {
    const producer = await this.connectedProducer();
    return this.dataSource.transaction(async (manager) => {
      const rows: DlqRow[] = await manager.query(
        `SELECT id, original_topic, key, value, headers, replay_count FROM ${this.table}
         WHERE status = 'pending' AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[]))
           AND ($2::text IS NULL OR original_topic = $2)
         ORDER BY id FOR UPDATE SKIP LOCKED`,
        [selection.ids ? [...selection.ids] : null, selection.topic ?? null],
      );
      if (rows.length === 0) return { replayed: [] };
      for (const row of rows)
        await producer.send({
          topic: row.original_topic,
          acks: -1,
          messages: [replayedMessage(row, row.replay_count + 1)],
        });
      const ids = rows.map((row) => row.id);
      await manager.query(
        `UPDATE ${this.table} SET status = 'replayed', replay_count = replay_count + 1, resolved_at = now()
         WHERE id = ANY($1::bigint[])`,
        [ids],
      );
      return { replayed: ids };
    });
  }

  async discard(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH discarded AS (UPDATE ${this.table} SET status = 'discarded', resolved_at = now()
         WHERE id = $1 AND status = 'pending' RETURNING id) SELECT id FROM discarded`,
      [id],
    );
    return rows.length > 0;
  }

  private async subscribe(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.ensureDlqTopics();
      const consumer = this.kafka.consumer({
        groupId: `${this.options.serviceName}.dlq-mirror`,
        maxWaitTimeInMs: 200,
        // kafkajs's own restart after a crash runs on a timer shutdown cannot cancel (kafkajs#1147).
        retry: { retries: 5, restartOnFailure: async () => false },
      });
      this.consumer = consumer;
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        this.logger.warn(`DLQ mirror crashed: ${payload.error.message}; restarting`);
        void consumer.disconnect().catch(() => undefined);
        this.retryLater();
      });
      await consumer.connect();
      await consumer.subscribe({ topics: DLQ_TOPICS, fromBeginning: true });
      await consumer.run({ eachMessage: (payload) => this.mirror(payload) });
    } catch (error) {
      await this.consumer?.disconnect().catch(() => undefined);
      this.logger.warn(`DLQ mirror not running yet: ${(error as Error).message}; retrying`);
      this.retryLater();
    }
  }

  private retryLater(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(
      () => (this.starting = this.subscribe()),
      this.config.get('KAFKA_TOPIC_RECHECK_MS', { infer: true }),
    );
  }

  /** Dead-letter topics are created by the service that dead-letters; creating a missing one early is harmless. */
  private async ensureDlqTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = DLQ_TOPICS.filter((topic) => !existing.has(topic));
      if (missing.length > 0)
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: 3 })),
        });
    } finally {
      await admin.disconnect();
    }
  }

  private async mirror({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const headers = headersToStrings(message.headers);
    const attempts = Number(headers[DLQ_HEADERS.attempts]);
    await this.dataSource.query(
      `INSERT INTO ${this.table} (dlq_topic, partition, "offset", original_topic, consumer_group, message_id,
         message_type, key, value, headers, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (dlq_topic, partition, "offset") DO NOTHING`,
      [
        topic,
        partition,
        message.offset,
        headers[DLQ_HEADERS.originalTopic] ?? topic.replace(/\.dlq$/, ''),
        headers[DLQ_HEADERS.consumerGroup] ?? null,
        headers.messageId ?? null,
        headers.type ?? null,
        storable(message.key?.toString()),
        storable(message.value?.toString()),
        JSON.stringify(
          Object.fromEntries(
            Object.entries(headers).map(([name, value]) => [storable(name), storable(value)]),
          ),
        ),
        storable(headers[DLQ_HEADERS.errorMessage]),
        Number.isFinite(attempts) ? attempts : null,
      ],
    );
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = idempotentProducer(this.kafka);
      await this.producer.connect();
    }
    return this.producer;
  }
}
