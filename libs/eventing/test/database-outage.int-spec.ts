import { DataSource } from 'typeorm';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { MessageConsumer } from '../src/consumer/message-consumer';
import { EventStore } from '../src/event-store/event-store';
import { LoopHeartbeats } from '../src/health/loop-heartbeats';
import { migrateEventing } from '../src/migrations/eventing-migrations';
import { OutboxRelay, type OutboxRelayOptions } from '../src/outbox/outbox-relay';
import { boundedConnectionSettings } from '../src/postgres/pg-connection';
import { createTestSchema, type TestSchema } from '../src/testing';
import { ensureTopics } from '../src/topics/topic-registry';
import {
  collectTopic,
  createEffectsTable,
  kafkaFor,
  recordEffect,
  startQuietBroker,
  eventually,
} from './eventing-test-kit';

/** How long the line to PostgreSQL stays cut; the issue saw the hang after 15 s, a few seconds reproduce it. */
const OUTAGE_MS = Number(process.env.DATABASE_OUTAGE_MS ?? 3000);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('eventing through a database outage (PostgreSQL behind a TCP proxy)', () => {
  let db: TestSchema;
  let broker: DevBrokerHandle;
  let proxy: TcpProxy;
  let proxied: DataSource;
  let heartbeats: LoopHeartbeats;
  let viaProxy: EventStore;
  let direct: EventStore;
  const stoppers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    db = await createTestSchema();
    await migrateEventing(db.dataSource, db.schema);
    await createEffectsTable(db.dataSource, db.schema);
    const front = await TcpProxy.inFrontOf(db.databaseUrl);
    proxy = front.proxy;
    // What EventingModule gives every service's pool, with bounds short enough for a test.
    proxied = new DataSource({
      type: 'postgres',
      url: front.url,
      schema: db.schema,
      extra: boundedConnectionSettings({ connectTimeoutMs: 1000, queryTimeoutMs: 1500 }),
    });
    await proxied.initialize();
    heartbeats = new LoopHeartbeats(300);
    viaProxy = new EventStore({
      dataSource: proxied,
      schema: db.schema,
      notifierHeartbeat: heartbeats.of('outbox-notifier'),
    });
    direct = new EventStore({ dataSource: db.dataSource, schema: db.schema });
    broker = await startQuietBroker();
    const admin = kafkaFor(broker.brokers).admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: 'tally.events', partitions: 2, owned: true }], 'tally');
    await admin.disconnect();
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await proxy.start();
    await proxied.destroy().catch(() => undefined);
    await proxy.stop();
    await broker.stop();
    await db.drop();
  });

  const append = (store: EventStore, streamId: string) =>
    store.append(streamId, 'Tally', 0, [{ type: 'Added', payload: {} }], { topic: 'tally.events' });

  const relayVia = (dataSource: DataSource, options: Partial<OutboxRelayOptions> = {}) =>
    new OutboxRelay({
      dataSource,
      schema: db.schema,
      kafka: kafkaFor(broker.brokers),
      serviceName: 'tally',
      pollIntervalMs: 200,
      standbyRetryMs: 100,
      backoff: { initialDelayMs: 50, maxDelayMs: 500 },
      heartbeat: heartbeats.of('outbox-relay'),
      onError: () => undefined,
      ...options,
    });

  it(`publishes again by itself after the line to PostgreSQL is cut for ${OUTAGE_MS} ms, and stops when asked`, async () => {
    const relay = relayVia(proxied);
    const wire = await collectTopic(kafkaFor(broker.brokers), 'tally.events');
    stoppers.push(wire.stop);
    relay.start();
    stoppers.push(() => relay.stop());
    await append(viaProxy, 'before-outage');
    await eventually(() => wire.received.length === 1);

    await proxy.stop();
    // Another replica keeps writing while this one is cut off: the outbox grows.
    await append(direct, 'during-outage');
    await pause(OUTAGE_MS);
    await proxy.start();
    await append(viaProxy, 'after-outage');

    await eventually(async () => (await relay.backlog()).pendingRows === 0 && wire.received.length >= 3);
    // A batch published just as the line was cut is published again (its delete failed); consumers dedupe.
    expect([...new Set(wire.received.map(({ message }) => message.key?.toString()))].sort()).toEqual([
      'after-outage',
      'before-outage',
      'during-outage',
    ]);
    expect(heartbeats.stalled()).toEqual([]);
    await relay.stop();
    expect(relay.isLeader).toBe(false);
  }, 30_000);

  it('reports the relay stuck while the line is silent, and recovers when it speaks again', async () => {
    const relay = relayVia(proxied);
    relay.start();
    stoppers.push(() => relay.stop());
    await eventually(() => relay.isLeader);

    // Packets dropped, connections still open: every wait is on a query that gets no answer.
    proxy.stall();
    await append(direct, 'while-silent');
    await eventually(() => heartbeats.stalled().some((loop) => loop.loop === 'outbox-relay'));

    await proxy.start();
    await eventually(async () => (await relay.backlog()).pendingRows === 0);
    await eventually(() => heartbeats.stalled().length === 0);
  }, 30_000);

  it('stops within its bound while the line is silent', async () => {
    const relay = relayVia(proxied, { stopTimeoutMs: 500 });
    relay.start();
    await eventually(() => relay.isLeader);
    proxy.stall();
    await append(direct, 'while-silent');
    await eventually(() => heartbeats.stalled().length > 0);

    await relay.stop();
    expect(relay.isRunning).toBe(false);
    expect(relay.isLeader).toBe(false);
  }, 30_000);

  it(`a consumer cut off from PostgreSQL for ${OUTAGE_MS} ms handles each message once afterwards and dead-letters none`, async () => {
    const kafka = kafkaFor(broker.brokers);
    const relay = relayVia(db.dataSource);
    relay.start();
    stoppers.push(() => relay.stop());
    const consumer = new MessageConsumer({
      kafka,
      dataSource: proxied,
      schema: db.schema,
      groupId: 'tally-view',
      topics: ['tally.events'],
      handle: recordEffect(db.schema, 'tally-view'),
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
      heartbeat: heartbeats.of('consumer tally-view'),
      onCrash: () => undefined,
    });
    const deadLettered = await collectTopic(kafka, 'tally.events.dlq');
    stoppers.push(deadLettered.stop);
    await consumer.start();
    stoppers.push(() => consumer.stop());
    await append(direct, 'before-outage');
    const effects = async () =>
      (await db.dataSource.query(`SELECT stream_id FROM "${db.schema}".effects ORDER BY seq`)) as {
        stream_id: string;
      }[];
    await eventually(async () => (await effects()).length === 1);

    await proxy.stop();
    for (let index = 0; index < 10; index += 1) await append(direct, `during-outage-${index}`);
    await pause(OUTAGE_MS);
    await proxy.start();

    await eventually(async () => (await effects()).length >= 11);
    expect((await effects()).map((effect) => effect.stream_id).sort()).toEqual(
      ['before-outage', ...Array.from({ length: 10 }, (_, index) => `during-outage-${index}`)].sort(),
    );
    expect(deadLettered.received.map(({ message }) => message.key?.toString())).toEqual([]);
    const letters = await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".dead_letters`);
    expect(letters).toEqual([{ n: 0 }]);
  }, 40_000);
});
