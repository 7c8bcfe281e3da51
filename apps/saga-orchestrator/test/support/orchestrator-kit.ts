import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { topicNames } from '@tradecore/contracts';
import { startDevBroker, type DevBrokerHandle } from '@tradecore/dev-broker';
import { dlqTopicOf } from '@tradecore/eventing';
import { createTestSchema, type TestSchema } from '@tradecore/eventing/testing';
import { eventually } from '@tradecore/eventing/testing';
export { eventually };
import Redis from 'ioredis';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { SagaOrchestratorModule } from '../../src/saga-orchestrator.module';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface SagaRecord {
  id: string;
  saga_type: string;
  aggregate_id: string;
  status: string;
  current_step: string | null;
  parent_saga_id: string | null;
  failure: { code: string; step: string } | null;
}

/** Dev broker, a fresh schema, every contract topic, a key pair and a producer: the world an orchestrator runs in. */
export class OrchestratorKit {
  readonly kafka: Kafka;
  private producer?: Producer;
  readonly apps = new Set<INestApplication>();

  private constructor(
    readonly broker: DevBrokerHandle,
    readonly database: TestSchema,
    readonly keys: { publicKeyPem: string; privateKeyPem: string },
  ) {
    this.kafka = new Kafka({
      clientId: 'saga-test',
      brokers: [...broker.brokers],
      logLevel: logLevel.NOTHING,
    });
  }

  static async start(): Promise<OrchestratorKit> {
    const broker = await startDevBroker({ port: 0, logger: silent });
    const kit = new OrchestratorKit(broker, await createTestSchema('saga'), createTestKeyPair());
    const admin = kit.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: topicNames
        .flatMap((topic) => [topic, dlqTopicOf(topic)])
        .map((topic) => ({ topic, numPartitions: 3 })),
    });
    await admin.disconnect();
    kit.producer = kit.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await kit.producer.connect();
    return kit;
  }

  get schema(): string {
    return this.database.schema;
  }

  async startOrchestrator(env: Record<string, string> = {}): Promise<INestApplication> {
    Object.assign(process.env, {
      KAFKA_BROKERS: this.broker.brokers.join(','),
      DATABASE_URL: this.database.databaseUrl,
      LOG_LEVEL: 'silent',
      AUTH_PUBLIC_KEY: this.keys.publicKeyPem,
      SAGA_DEADLINE_POLL_MS: '100',
      SAGA_LOCK_TTL_MS: '3000',
      SAGA_TIMEOUT_SCALE: '0.1',
      KAFKA_TOPIC_RECHECK_MS: '500',
      ...env,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [SagaOrchestratorModule.forRoot(this.schema)],
    }).compile();
    const app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
    this.apps.add(app);
    await eventually(async () =>
      (await request(app.getHttpServer()).get('/health/ready')).status === 200 ? true : undefined,
    );
    return app;
  }

  async stopOrchestrator(app: INestApplication): Promise<void> {
    this.apps.delete(app);
    await app.close();
  }

  token(role: 'admin' | 'user', userId = uuidv7()): string {
    return signTestToken(this.keys.privateKeyPem, { userId, role });
  }

  /** Publishes an event as its owning service would, in the envelope every consumer expects. */
  async publish(
    topic: string,
    type: string,
    streamId: string,
    payload: unknown,
    meta: Record<string, string> = {},
  ) {
    const envelope = {
      messageId: uuidv7(),
      type,
      schemaVersion: 1,
      streamId,
      streamVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: meta.correlationId ?? uuidv7(),
      causationId: meta.causationId ?? null,
      ...meta,
      payload,
    };
    await (this.producer as Producer).send({
      topic,
      acks: -1,
      messages: [
        { key: streamId, value: JSON.stringify(envelope), headers: { messageId: envelope.messageId, type } },
      ],
    });
    return envelope;
  }

  async sagas(where: { aggregateId?: string; type?: string; parentSagaId?: string }): Promise<SagaRecord[]> {
    return this.database.dataSource.query(
      `SELECT id, saga_type, aggregate_id, status, current_step, parent_saga_id, failure FROM "${this.schema}".saga_instance
       WHERE ($1::text IS NULL OR aggregate_id = $1) AND ($2::text IS NULL OR saga_type = $2)
         AND ($3::uuid IS NULL OR parent_saga_id = $3) ORDER BY created_at, id`,
      [where.aggregateId ?? null, where.type ?? null, where.parentSagaId ?? null],
    );
  }

  /** What the engine recorded as sent: one row per command attempt. */
  async sentLog(): Promise<
    { saga_id: string; step: string; phase: string; attempt: number; command_message_id: string }[]
  > {
    return this.database.dataSource.query(
      `SELECT saga_id, step, phase, attempt, command_message_id FROM "${this.schema}".saga_step_log WHERE event = 'sent'`,
    );
  }

  /** Waits for the saga on an aggregate to reach one of the statuses. */
  async sagaReaches(
    aggregateId: string,
    statuses: string[],
    type?: string,
    timeoutMs = 30_000,
  ): Promise<SagaRecord> {
    return eventually(async () => {
      const sagas = await this.sagas({ aggregateId, type });
      return sagas.find((saga) => statuses.includes(saga.status));
    }, timeoutMs);
  }

  /** The saga id holding the aggregate's Redis lock, or null. */
  async lockOwner(aggregateId: string): Promise<string | null> {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      return await redis.get(`${this.schema}:saga-lock:${aggregateId}`);
    } finally {
      await redis.quit();
    }
  }

  async timeline(
    sagaId: string,
  ): Promise<
    { step: string; event: string; command_type: string | null; command_message_id: string | null }[]
  > {
    return this.database.dataSource.query(
      `SELECT step, event, command_type, command_message_id FROM "${this.schema}".saga_step_log WHERE saga_id = $1 ORDER BY id`,
      [sagaId],
    );
  }

  /** The saga's pending deadline, if any. */
  async deadline(sagaId: string): Promise<{ step: string; attempt: number } | undefined> {
    const rows: { step: string; attempt: number }[] = await this.database.dataSource.query(
      `SELECT step, attempt FROM "${this.schema}".saga_deadline WHERE saga_id = $1`,
      [sagaId],
    );
    return rows[0];
  }

  /** The trace rows of the commands the engine sent for a saga, in the order it sent them. */
  async commandTraces(sagaId: string): Promise<{ message_id: string; type: string; topic: string }[]> {
    return this.database.dataSource.query(
      `SELECT message_id, type, topic FROM "${this.schema}".trace_entry
       WHERE kind = 'command' AND saga_id = $1 ORDER BY id`,
      [sagaId],
    );
  }

  async stop(): Promise<void> {
    for (const app of this.apps) await app.close();
    await this.producer?.disconnect();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${this.schema}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await this.database.drop();
    await this.broker.stop();
  }
}
