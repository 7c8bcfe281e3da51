import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { MessageConsumer } from '../src/consumer/message-consumer';
import type { Envelope } from '../src/envelope/envelope';
import { toKafkaRecord } from '../src/envelope/kafka-message';
import { newMessageId } from '../src/envelope/message-context';
import { EventStore } from '../src/event-store/event-store';
import { migrateEventing } from '../src/migrations/eventing-migrations';
import { outboxChannel } from '../src/migrations/sql-identifiers';
import { noInstrumentation } from '../src/observability/instrumentation';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { createTestSchema } from '../src/testing';
import { ensureTopics } from '../src/topics/topic-registry';
import {
  formatRow,
  percentile,
  spawnDevBroker,
  summarize,
  type Summary,
  throughput,
  waitUntil,
} from './bench-kit';

const REPETITIONS = 3;
const WRITERS = 8;
const APPENDS = 2000;
const RELAY_BATCH = Number(process.env.BENCH_RELAY_BATCH ?? 500);
const RELAY_MESSAGES = RELAY_BATCH * 10;
const LATENCY_SAMPLES = 200;
const PARTITIONS = 4;

async function main(): Promise<void> {
  const db = await createTestSchema('bench');
  const external = process.env.KAFKA_BROKERS?.split(',');
  const broker = external
    ? { brokers: external, stop: async () => undefined }
    : await spawnDevBroker(PARTITIONS);
  const kafka = new Kafka({
    clientId: 'eventing-bench',
    brokers: broker.brokers,
    logLevel: logLevel.NOTHING,
  });
  try {
    await migrateEventing(db.dataSource, db.schema);
    const admin = kafka.admin();
    await admin.connect();
    const topics = ['bench.relay', 'bench.raw', 'bench.latency', 'bench.appends'];
    await ensureTopics(
      admin,
      topics.map((name) => ({ name, partitions: PARTITIONS, owned: true })),
      'bench',
    );
    await admin.disconnect();
    const store = new EventStore({ dataSource: db.dataSource, schema: db.schema });

    const appends = await benchAppends(db.dataSource, db.schema, store);
    const relay = await benchRelay(db.dataSource, db.schema, kafka);
    const latency = await benchLatency(db.dataSource, db.schema, kafka, store);
    printTable(appends, relay, latency);
  } finally {
    await broker.stop();
    await db.drop();
  }
}

/** Baseline and eventing runs alternate, so both see the same load on a shared machine. */
async function paired(baseline: () => Promise<number>, eventing: () => Promise<number>): Promise<Comparison> {
  await baseline();
  await eventing();
  const runs: { baseline: number; eventing: number }[] = [];
  for (let index = 0; index < REPETITIONS; index += 1)
    runs.push({ baseline: await baseline(), eventing: await eventing() });
  return {
    eventing: summarize(runs.map((run) => run.eventing)),
    baseline: summarize(runs.map((run) => run.baseline)),
    ratio: summarize(runs.map((run) => run.eventing / run.baseline)),
  };
}

interface Comparison {
  readonly eventing: Summary;
  readonly baseline: Summary;
  readonly ratio: Summary;
}

async function benchAppends(dataSource: DataSource, schema: string, store: EventStore): Promise<Comparison> {
  await dataSource.query(
    `CREATE TABLE "${schema}".raw_inserts (id bigserial PRIMARY KEY, stream_id text NOT NULL, payload jsonb NOT NULL)`,
  );
  let run = 0;
  const comparison = await paired(
    () =>
      throughput(APPENDS, WRITERS, (index) =>
        dataSource.query(`INSERT INTO "${schema}".raw_inserts (stream_id, payload) VALUES ($1, $2)`, [
          `raw-${index}`,
          JSON.stringify({ index }),
        ]),
      ),
    () => {
      run += 1;
      const versions = new Array<number>(WRITERS).fill(0);
      return throughput(APPENDS, WRITERS, (index, worker) =>
        store.append(
          `append-${run}-${worker}`,
          'Bench',
          versions[worker]++,
          [{ type: 'Ticked', payload: { index } }],
          { topic: 'bench.appends' },
        ),
      );
    },
  );
  await dataSource.query(`DELETE FROM "${schema}".outbox`);
  return comparison;
}

function benchEnvelopes(count: number): Envelope[] {
  const occurredAt = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => ({
    messageId: newMessageId(),
    type: 'Ticked',
    schemaVersion: 1,
    streamId: `relay-${index % 50}`,
    streamVersion: Math.floor(index / 50) + 1,
    occurredAt,
    correlationId: newMessageId(),
    causationId: null,
    payload: { index, note: 'a payload of a typical size for an integration event in this system' },
  }));
}

async function benchRelay(dataSource: DataSource, schema: string, kafka: Kafka): Promise<Comparison> {
  let published = 0;
  const instrumentation = {
    ...noInstrumentation,
    relayPublished: (_topic: string, count: number) => void (published += count),
  };
  const relay = new OutboxRelay({
    dataSource,
    schema,
    kafka,
    serviceName: 'bench',
    batchSize: RELAY_BATCH,
    instrumentation,
  });
  relay.start();
  await waitUntil(() => relay.isLeader);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const comparison = await paired(
    async () => {
      const records = benchEnvelopes(RELAY_MESSAGES).map(toKafkaRecord);
      const started = performance.now();
      for (let offset = 0; offset < records.length; offset += RELAY_BATCH) {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [{ topic: 'bench.raw', messages: records.slice(offset, offset + RELAY_BATCH) }],
        });
      }
      return RELAY_MESSAGES / ((performance.now() - started) / 1000);
    },
    async () => {
      const rows = benchEnvelopes(RELAY_MESSAGES).map((envelope) => ({
        topic: 'bench.relay',
        key: envelope.streamId,
        envelope,
        headers: toKafkaRecord(envelope).headers,
      }));
      const target = published + RELAY_MESSAGES;
      await dataSource.query(
        `WITH queued AS (INSERT INTO "${schema}".outbox (topic, key, envelope, headers)
           SELECT o->>'topic', o->>'key', (o->'envelope')::text, (o->'headers')::text FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS input(o, ord) ORDER BY ord RETURNING 1)
         SELECT count(*), pg_notify($2, '') FROM queued`,
        [JSON.stringify(rows), outboxChannel(schema)],
      );
      // Timed from the commit that queued the rows (the relay wakes on it), as a service's writes would.
      const started = performance.now();
      await waitUntil(() => published >= target);
      return RELAY_MESSAGES / ((performance.now() - started) / 1000);
    },
  );
  await producer.disconnect();
  await relay.stop();
  return comparison;
}

async function benchLatency(dataSource: DataSource, schema: string, kafka: Kafka, store: EventStore) {
  const handled = new Map<string, (at: number) => void>();
  const relay = new OutboxRelay({ dataSource, schema, kafka, serviceName: 'bench' });
  const consumer = new MessageConsumer({
    kafka,
    dataSource,
    schema,
    groupId: 'bench-latency',
    topics: ['bench.latency'],
    retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 },
    handle: async (envelope) => handled.get(envelope.messageId)?.(performance.now()),
  });
  relay.start();
  await consumer.start();
  const sample = async (streamId: string, version: number): Promise<number> => {
    const started = performance.now();
    let resolveHandled!: (at: number) => void;
    const seen = new Promise<number>((resolve) => (resolveHandled = resolve));
    const { envelopes } = await store.append(streamId, 'Bench', version, [{ type: 'Ticked', payload: {} }], {
      topic: 'bench.latency',
    });
    handled.set(envelopes[0].messageId, resolveHandled);
    // The handler may have run before the id was registered; its inbox row tells.
    const already = await dataSource.query(
      `SELECT 1 FROM "${schema}".inbox WHERE consumer = 'bench-latency' AND message_id = $1`,
      [envelopes[0].messageId],
    );
    const at = already.length > 0 ? performance.now() : await seen;
    handled.delete(envelopes[0].messageId);
    return at - started;
  };
  for (let warmup = 0; warmup < 20; warmup += 1) await sample('latency-warmup', warmup);
  const runs: { p50: number; p99: number }[] = [];
  for (let run = 1; run <= REPETITIONS; run += 1) {
    const latencies: number[] = [];
    for (let index = 0; index < LATENCY_SAMPLES; index += 1)
      latencies.push(await sample(`latency-${run}`, index));
    latencies.sort((a, b) => a - b);
    runs.push({ p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
  }
  await consumer.stop();
  await relay.stop();
  return { p50: summarize(runs.map((run) => run.p50)), p99: summarize(runs.map((run) => run.p99)) };
}

function printTable(appends: Comparison, relay: Comparison, latency: { p50: Summary; p99: Summary }): void {
  const widths = [40, 24, 34, 20, 8];
  const rate = (summary: Summary) =>
    `${summary.median.toFixed(0)} (${summary.min.toFixed(0)}–${summary.max.toFixed(0)})`;
  const ms = (summary: Summary) =>
    `${summary.median.toFixed(2)} (${summary.min.toFixed(2)}–${summary.max.toFixed(2)})`;
  const ratio = (summary: Summary) =>
    `${summary.median.toFixed(2)} (${summary.min.toFixed(2)}–${summary.max.toFixed(2)})`;
  const lines = [
    formatRow([`median of ${REPETITIONS} (min–max)`, 'eventing', 'baseline', 'ratio', 'target'], widths),
    formatRow(
      [
        `appends/s, 1 event/tx, ${WRITERS} writers`,
        rate(appends.eventing),
        `${rate(appends.baseline)} raw INSERT`,
        ratio(appends.ratio),
        '≥ 0.70',
      ],
      widths,
    ),
    formatRow(
      [
        `relay msgs/s, batches of ${RELAY_BATCH}`,
        rate(relay.eventing),
        `${rate(relay.baseline)} kafkajs`,
        ratio(relay.ratio),
        '≥ 0.70',
      ],
      widths,
    ),
    formatRow(['append→handled p50 (ms)', ms(latency.p50), '', '', '≤ 10'], widths),
    formatRow(['append→handled p99 (ms)', ms(latency.p99), '', '', ''], widths),
  ];
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
