import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { type DevBrokerHandle, startDevBroker } from '@tradecore/dev-broker';
import { type Envelope, toKafkaRecord } from '@tradecore/eventing';
import {
  createTestSchema,
  eventually as eventuallyWithin,
  type TestSchema,
} from '@tradecore/eventing/testing';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import { AuthenticatedWsAdapter } from '../src/infrastructure/authenticated-ws.adapter';
import { VirtualBrokerModule } from '../src/virtual-broker.module';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const FEED = { seed: 42, symbols: 'AAPL:190.00,MSFT:420.00' };

/** Polls until the probe yields a value; the test's own timeout is the only limit. */
export const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> =>
  eventuallyWithin(probe, Infinity, 25);

/** The service on a fresh schema and dev broker, with the quote feed in manual mode. */
export async function startVirtualBroker() {
  const broker: DevBrokerHandle = await startDevBroker({ port: 0, logger: silent });
  const database: TestSchema = await createTestSchema('virtual_broker_e2e');
  const keys = createTestKeyPair();
  Object.assign(process.env, {
    DATABASE_URL: database.databaseUrl,
    KAFKA_BROKERS: broker.brokers.join(','),
    LOG_LEVEL: 'silent',
    AUTH_PUBLIC_KEY: keys.publicKeyPem,
    QUOTE_TICK_MS: '0',
    QUOTE_SEED: String(FEED.seed),
    QUOTE_SYMBOLS: FEED.symbols,
    SESSION_CLOSE_UTC: 'off',
    OUTBOX_POLL_INTERVAL_MS: '100',
  });
  const kafka = new Kafka({
    clientId: 'orchestrator-stand-in',
    brokers: [...broker.brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['saga.replies', 'user-account.events'].map((topic) => ({ topic, numPartitions: 3 })),
  });
  await admin.disconnect();

  const replicas: INestApplication[] = [];
  const startReplica = async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [VirtualBrokerModule.forRoot(database.schema)],
    }).compile();
    const replica: INestApplication = moduleRef.createNestApplication({ bufferLogs: true });
    replica.useLogger(replica.get(Logger));
    replica.useWebSocketAdapter(new AuthenticatedWsAdapter(replica));
    await replica.listen(0);
    replicas.push(replica);
    return { app: replica, port: (replica.getHttpServer().address() as { port: number }).port };
  };
  const { app, port } = await startReplica();

  const orchestrator = await startOrchestrator(kafka);
  return {
    app,
    port,
    database,
    orchestrator,
    /** Provisions through the commands topic, as the BrokerConnection saga does, and waits for the reply. */
    provision: async (account: {
      userId: string;
      connectionId: string;
      accountId: string;
      startingCash: string;
    }) => {
      const command = orchestrator.commandEnvelope('ProvisionVirtualAccounts', account.connectionId, {
        connectionId: account.connectionId,
        userId: account.userId,
        accounts: [
          { virtualAccountId: account.accountId, currency: 'USD', startingCash: account.startingCash },
        ],
      });
      await orchestrator.deliver(command);
      const reply = await orchestrator.replyTo(command);
      if (reply.payload.outcome !== 'succeeded')
        throw new Error(`provisioning failed: ${JSON.stringify(reply.payload)}`);
    },
    tokenFor: (
      userId: string,
      role: 'user' | 'admin' = 'user',
      options: { sessionId?: string; expiresInSeconds?: number } = {},
    ) => signTestToken(keys.privateKeyPem, { userId, role, ...options }),
    /** Plays user-account: publishes one of its integration events (UserSessionEnded …). */
    userAccountEvent: (type: string, userId: string, payload: Record<string, unknown>) =>
      orchestrator.publish('user-account.events', {
        ...orchestrator.commandEnvelope(type, userId, { userId, ...payload }),
        sagaId: undefined,
        sagaStep: undefined,
      }),
    /** Another process of the same service: same schema, same Kafka group, same Redis. */
    startReplica,
    stop: async () => {
      await orchestrator.stop();
      for (const replica of replicas) await replica.close();
      await database.drop();
      await broker.stop();
    },
  };
}

type Harness = Awaited<ReturnType<typeof startVirtualBroker>>;

/** What a describe's tests work with: the service once its `beforeAll` has run, and one trader's account. */
export class VirtualBrokerSuite {
  vb!: Harness;
  /** The trader's paper account: provisioned before the tests when the suite was asked to. */
  readonly accountId = uuidv7();

  constructor(readonly trader: string) {}

  readonly http = () => request(this.vb.app.getHttpServer());
  readonly as = (userId: string, role: 'user' | 'admin' = 'user') => ({
    Authorization: `Bearer ${this.vb.tokenFor(userId, role)}`,
  });
  readonly socketUrl = () => `ws://127.0.0.1:${this.vb.port}/ws`;
  /** An order on the account, placed by its trader. */
  readonly place = (order: object) =>
    this.http().post(`/accounts/${this.accountId}/orders`).set(this.as(this.trader)).send(order);
}

/**
 * Before a describe's tests: the service started, and the trader's account provisioned with
 * `provision` when given; after them, stopped.
 */
export function useVirtualBroker(
  trader = 'trader-1',
  provision?: { connectionId: string; startingCash: string },
): VirtualBrokerSuite {
  const suite = new VirtualBrokerSuite(trader);
  beforeAll(async () => {
    suite.vb = await startVirtualBroker();
    if (provision) await suite.vb.provision({ userId: trader, accountId: suite.accountId, ...provision });
  });
  afterAll(async () => {
    await suite.vb?.stop();
  });
  return suite;
}

export type SagaReplyPayload = {
  sagaId: string;
  step: string;
  commandType: string;
  commandMessageId: string;
  outcome: 'succeeded' | 'failed';
  result?: Record<string, unknown>;
  reason?: { code: string; message: string };
};

/** Plays the saga orchestrator: sends commands as envelopes and collects the replies. */
async function startOrchestrator(kafka: Kafka) {
  const producer: Producer = kafka.producer();
  const consumer: Consumer = kafka.consumer({ groupId: `orchestrator-${uuidv7()}`, maxWaitTimeInMs: 50 });
  const replies: Envelope<SagaReplyPayload>[] = [];
  const events: Envelope<Record<string, unknown>>[] = [];
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: ['saga.replies', 'virtual-broker.events'], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) =>
      void (topic === 'saga.replies' ? replies : events).push(JSON.parse(String(message.value))),
  });

  const publish = async (topic: string, envelope: Envelope) => {
    const { value, headers } = toKafkaRecord(envelope);
    await producer.send({ topic, messages: [{ key: envelope.streamId, value, headers }] });
  };

  const commandEnvelope = (type: string, key: string, payload: unknown): Envelope => ({
    messageId: uuidv7(),
    type,
    schemaVersion: 1,
    streamId: key,
    streamVersion: 0,
    occurredAt: new Date().toISOString(),
    correlationId: uuidv7(),
    causationId: null,
    sagaId: uuidv7(),
    sagaStep: type,
    payload,
  });

  return {
    replies,
    events,
    commandEnvelope,
    deliver: (envelope: Envelope) => publish('virtual-broker.commands', envelope),
    publish,
    replyTo: (envelope: Envelope) =>
      eventually(() => replies.find((reply) => reply.payload.commandMessageId === envelope.messageId)),
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

/** A socket client that keeps every message, so a test can wait for the one it expects. */
export async function openSocket(url: string, protocols?: string[]) {
  const socket = new WebSocket(url, protocols);
  const received: { event: string; data: Record<string, unknown> }[] = [];
  socket.on('message', (raw) => received.push(JSON.parse(String(raw))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    received,
    closed,
    send: (event: string, data: unknown) => socket.send(JSON.stringify({ event, data })),
    next: (match: (message: { event: string; data: Record<string, unknown> }) => boolean) =>
      eventually(() => received.find(match)),
    close: () => socket.close(),
  };
}
