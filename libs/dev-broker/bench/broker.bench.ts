import { type Admin, Kafka, logLevel } from 'kafkajs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BrokerProcess, startBrokerProcess } from './broker-process';
import { findKcat, kcatConsume, kcatProduce, writeMessageFile } from './kcat';
import { roundTrips } from './raw-baselines';
import { median, percentile, printTable, type Row } from './stats';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const REPS = 5;
const MESSAGE = Buffer.alloc(1024, 'x');
const KCAT_MESSAGES = 200_000;
const RELAY_PRODUCERS = 4;
const RELAY_BATCH = 500;
const RELAY_SENDS_PER_PRODUCER = 20;
const LATENCY_SAMPLES_PER_REP = 500;
const WARMUP = 50;
/** Retention as a service topic has it, so the numbers hold with it configured. */
const TOPIC_CONFIGS = [
  { name: 'retention.ms', value: String(60 * 60 * 1000) },
  { name: 'retention.bytes', value: String(1024 * 1024 * 1024) },
];

interface Measured {
  readonly reps: number[];
  readonly samples?: number[];
  readonly brokerCpu: number;
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'dev-broker-bench-'));
  const broker = await startBrokerProcess(path.join(workDir, 'data'));
  const kafka = new Kafka({ clientId: 'bench', brokers: [...broker.brokers], logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const rows: Row[] = [];
    const kcat = findKcat();
    if (kcat) rows.push(...(await kcatRows(kcat, broker, admin, workDir)));
    const relay = await measured(broker, () => relayThroughput(kafka, admin));
    rows.push({
      metric: `kafkajs produce (msgs/s, 1 KiB, ${RELAY_PRODUCERS} idempotent producers, batches of ${RELAY_BATCH}, acks -1)`,
      reps: relay.reps,
      brokerCpu: relay.brokerCpu,
      target: '>= 30,000',
    });
    const latency = await measured(broker, () => produceToConsume(kafka, admin));
    rows.push({
      metric: 'produce-to-consume latency p50 (ms, kafkajs, one in flight)',
      reps: latency.reps,
      p99: percentile(latency.samples ?? [], 99),
      brokerCpu: latency.brokerCpu,
      baseline: median(await roundTrips(MESSAGE.length + 80, 60, LATENCY_SAMPLES_PER_REP * 2)),
      target: '<= 1',
    });

    console.log(
      `\ndev-broker benchmark: broker in its own process with a data dir, over loopback, ${REPS} repetitions, Node ${process.version}\n`,
    );
    printTable(rows);
    if (!kcat)
      console.log('\nkcat rows skipped: neither kcat nor kafkacat is installed (apt-get install kafkacat).');
    console.log(
      '\nbroker CPU: CPU time of the broker process over the wall time of the row; below 100% the broker waited for its clients.' +
        '\nraw baseline: one 1 KiB round trip over plain net sockets on 127.0.0.1, answered by an in-process server.',
    );
  } finally {
    await admin.disconnect();
    await broker.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs `measure` while watching the broker's CPU. */
async function measured(
  broker: BrokerProcess,
  measure: () => Promise<{ reps: number[]; samples?: number[] }>,
): Promise<Measured> {
  const cpuBefore = broker.cpuSeconds();
  const started = performance.now();
  const result = await measure();
  const wallSeconds = (performance.now() - started) / 1000;
  return { ...result, brokerCpu: (broker.cpuSeconds() - cpuBefore) / wallSeconds };
}

async function kcatRows(kcat: string, broker: BrokerProcess, admin: Admin, workDir: string): Promise<Row[]> {
  const file = path.join(workDir, 'messages.txt');
  await writeMessageFile(file, KCAT_MESSAGES, MESSAGE.length);
  const brokers = broker.brokers.join(',');
  const produced: number[] = [];
  const consumed: number[] = [];
  let produceCpu = 0;
  let consumeCpu = 0;
  for (let rep = 0; rep < REPS; rep++) {
    const topic = `bench-kcat-${rep}`;
    await admin.createTopics({ topics: [{ topic, configEntries: TOPIC_CONFIGS }] });
    const produce = await measured(broker, async () => ({
      reps: [await kcatProduce(kcat, brokers, topic, file)],
    }));
    const consume = await measured(broker, async () => ({
      reps: [await kcatConsume(kcat, brokers, topic, KCAT_MESSAGES)],
    }));
    produced.push((KCAT_MESSAGES * 1000) / produce.reps[0]);
    consumed.push((KCAT_MESSAGES * 1000) / consume.reps[0]);
    produceCpu = Math.max(produceCpu, produce.brokerCpu);
    consumeCpu = Math.max(consumeCpu, consume.brokerCpu);
    await admin.deleteTopics({ topics: [topic] });
  }
  return [
    {
      metric: `kcat produce from a file (msgs/s, ${KCAT_MESSAGES.toLocaleString('en-US')} x 1 KiB, acks=all)`,
      reps: produced,
      brokerCpu: produceCpu,
      target: '>= 200,000',
    },
    {
      metric: 'kcat consume from the beginning to the end (msgs/s)',
      reps: consumed,
      brokerCpu: consumeCpu,
      target: '>= 200,000',
    },
  ];
}

/** As the outbox relays of several services do: each an idempotent producer sending batches, one in flight. */
async function relayThroughput(kafka: Kafka, admin: Admin): Promise<{ reps: number[] }> {
  const topic = 'bench-relay';
  await admin.createTopics({
    topics: [{ topic, numPartitions: RELAY_PRODUCERS, configEntries: TOPIC_CONFIGS }],
  });
  const producers = Array.from({ length: RELAY_PRODUCERS }, () =>
    kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
  );
  await Promise.all(producers.map((p) => p.connect()));
  const messages = (partition: number) =>
    Array.from({ length: RELAY_BATCH }, (_, i) => ({ key: `stream-${i}`, value: MESSAGE, partition }));
  const run = (sends: number) =>
    Promise.all(
      producers.map(async (producer, partition) => {
        for (let i = 0; i < sends; i++)
          await producer.sendBatch({ topicMessages: [{ topic, messages: messages(partition) }], acks: -1 });
      }),
    );
  await run(2);
  const reps: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const started = performance.now();
    await run(RELAY_SENDS_PER_PRODUCER);
    reps.push(
      (RELAY_PRODUCERS * RELAY_SENDS_PER_PRODUCER * RELAY_BATCH * 1000) / (performance.now() - started),
    );
  }
  await Promise.all(producers.map((p) => p.disconnect()));
  await admin.deleteTopics({ topics: [topic] });
  return { reps };
}

/** One message in flight at a time: the next is sent once the consumer has the previous one. */
async function produceToConsume(kafka: Kafka, admin: Admin): Promise<{ reps: number[]; samples: number[] }> {
  const topic = 'bench-latency';
  await admin.createTopics({ topics: [{ topic, configEntries: TOPIC_CONFIGS }] });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: 'bench-latency' });
  let delivered: (receivedAt: number) => void = () => undefined;
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({ eachMessage: async () => delivered(performance.now()) });
  const once = async () => {
    const arrived = new Promise<number>((resolve) => (delivered = resolve));
    const sentAt = performance.now();
    await producer.send({ topic, acks: -1, messages: [{ value: MESSAGE }] });
    return (await arrived) - sentAt;
  };
  await waitForAssignment(once);
  const reps: number[] = [];
  const samples: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const repSamples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES_PER_REP; i++) repSamples.push(await once());
    reps.push(median(repSamples));
    samples.push(...repSamples);
  }
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  return { reps, samples };
}

/** The consumer starts at the log end once assigned, so messages sent before that are never seen. */
async function waitForAssignment(once: () => Promise<number>): Promise<void> {
  const timeout = (ms: number) =>
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms));
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await Promise.race([once(), timeout(200)]);
      for (let i = 0; i < WARMUP; i++) await once();
      return;
    } catch {
      continue;
    }
  }
  throw new Error('the latency consumer never received a message');
}

main().catch((error: Error) => {
  console.error(`benchmark failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
