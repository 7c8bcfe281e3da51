import { DataSource } from 'typeorm';
import { EventStore } from '../src/event-store/event-store';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { ensureTopics } from '../src/topics/topic-registry';
import {
  freePort,
  kafkaFor,
  recordingInstrumentation,
  startQuietBroker,
  eventually,
} from './eventing-test-kit';
import { useRelayHarness } from './relay-harness';

async function effects(dataSource: DataSource, schema: string) {
  return (await dataSource.query(
    `SELECT stream_id, version, message_id FROM "${schema}".effects ORDER BY seq`,
  )) as {
    stream_id: string;
    version: number;
    message_id: string;
  }[];
}

describe('OutboxRelay with the dev broker', () => {
  const harness = useRelayHarness();

  it('appends made while the broker is down are all delivered once, in order per stream, when it comes up', async () => {
    const { db, store, stoppers } = harness;
    const port = await freePort();
    const kafka = kafkaFor([`localhost:${port}`]);
    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      schema: db.schema,
      kafka,
      serviceName: 'tally',
      backoff: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    relay.start();
    stoppers.push(() => relay.stop());

    const streams = Array.from({ length: 20 }, (_, index) => `stream-${index}`);
    await Promise.all(
      streams.map(async (streamId) => {
        for (let version = 0; version < 25; version += 1) {
          await store.append(streamId, 'Tally', version, [{ type: 'Added', payload: { amount: version } }], {
            topic: 'tally.events',
          });
        }
      }),
    );
    expect((await relay.backlog()).pendingRows).toBe(500);

    harness.broker = await startQuietBroker({ port, autoCreateTopics: false });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: 'tally.events', partitions: 4, owned: true }], 'tally');
    await admin.disconnect();
    const consumer = harness.effectsConsumer(kafka);
    await consumer.start();
    stoppers.push(() => consumer.stop());

    await eventually(
      async () =>
        (await effects(db.dataSource, db.schema)).length >= 500 && (await relay.backlog()).pendingRows === 0,
    );
    const applied = await effects(db.dataSource, db.schema);
    expect(applied).toHaveLength(500);
    expect(new Set(applied.map((effect) => effect.message_id)).size).toBe(500);
    for (const streamId of streams) {
      expect(
        applied.filter((effect) => effect.stream_id === streamId).map((effect) => effect.version),
      ).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    }
  });

  it('a relay that dies after publishing but before marking re-publishes, and the inbox applies each effect once', async () => {
    const { db, store, stoppers } = harness;
    harness.broker = await startQuietBroker({ defaultPartitions: 2 });
    const kafka = kafkaFor(harness.broker.brokers);
    let publishedBeforeDying = 0;
    const dying = recordingInstrumentation({
      relayPublished: (_topic, count) => {
        publishedBeforeDying += count;
        throw new Error('relay process killed before marking its rows');
      },
    });
    const crashing = new OutboxRelay({
      dataSource: db.dataSource,
      schema: db.schema,
      kafka,
      serviceName: 'tally',
      instrumentation: dying.instrumentation,
      standbyRetryMs: 50,
      onError: () => undefined,
    });
    const watched = recordingInstrumentation();
    const consumer = harness.effectsConsumer(kafka, watched.instrumentation);

    for (let version = 0; version < 30; version += 1) {
      await store.append(
        `s-${version % 3}`,
        'Tally',
        Math.floor(version / 3),
        [{ type: 'Added', payload: {} }],
        { topic: 'tally.events' },
      );
    }
    crashing.start();
    await eventually(() => publishedBeforeDying >= 30);
    await crashing.stop();
    expect((await crashing.backlog()).pendingRows).toBe(30);

    await consumer.start();
    stoppers.push(() => consumer.stop());
    await eventually(async () => (await effects(db.dataSource, db.schema)).length >= 30);

    const healthy = new OutboxRelay({
      dataSource: db.dataSource,
      schema: db.schema,
      kafka,
      serviceName: 'tally',
      standbyRetryMs: 50,
    });
    healthy.start();
    stoppers.push(() => healthy.stop());
    await eventually(() => watched.consumed.filter((entry) => entry.outcome === 'duplicate').length >= 30);

    const applied = await effects(db.dataSource, db.schema);
    expect(applied).toHaveLength(30);
    expect(new Set(applied.map((effect) => effect.message_id)).size).toBe(30);
    expect((await healthy.backlog()).pendingRows).toBe(0);
  });

  it('only one replica relays; a standby takes over when the active one stops', async () => {
    const { store } = harness;
    const replicas = await harness.startReplicas();
    const [active, standby] = replicas[0].isLeader ? replicas : [replicas[1], replicas[0]];
    expect(standby.isLeader).toBe(false);

    await active.stop();
    await eventually(() => standby.isLeader);
    await store.append('after-failover', 'Tally', 0, [{ type: 'Added', payload: {} }], {
      topic: 'tally.events',
    });
    await eventually(async () => (await standby.backlog()).pendingRows === 0);
  });

  it('a relay whose lock session dies stands down, and relaying continues under one leader', async () => {
    const { db, store } = harness;
    const replicas = await harness.startReplicas({ onError: () => undefined });

    const terminated = await db.dataSource.query(
      `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE query = $1`,
      [`LISTEN "outbox_${db.schema}"`],
    );
    expect(terminated).toEqual([{ done: true }]);
    await store.append('after-session-loss', 'Tally', 0, [{ type: 'Added', payload: {} }], {
      topic: 'tally.events',
    });
    await eventually(async () => (await replicas[0].backlog()).pendingRows === 0);
    expect(replicas.filter((replica) => replica.isLeader)).toHaveLength(1);
  });

  it('wakes on commits, from this process and from another replica, without waiting for a poll', async () => {
    const { db, store, stoppers } = harness;
    const { relay, wire } = await harness.startLeadingRelay(600_000);

    await store.append('local-writer', 'Tally', 0, [{ type: 'Added', payload: {} }], {
      topic: 'tally.events',
    });
    await eventually(async () => (await relay.backlog()).pendingRows === 0);

    const otherReplica = new DataSource({
      type: 'postgres',
      url: `${db.databaseUrl}?application_name=replica-2`,
    });
    await otherReplica.initialize();
    stoppers.push(() => otherReplica.destroy());
    const remoteStore = new EventStore({ dataSource: otherReplica, schema: db.schema });
    await remoteStore.append('remote-writer', 'Tally', 0, [{ type: 'Added', payload: {} }], {
      topic: 'tally.events',
    });
    await eventually(async () => (await relay.backlog()).pendingRows === 0);
    await eventually(() => wire.received.length >= 2);
    expect(wire.received.map(({ message }) => message.key?.toString())).toEqual([
      'local-writer',
      'remote-writer',
    ]);
  });
});
