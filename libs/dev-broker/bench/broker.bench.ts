import { Kafka, logLevel, Producer } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import { startDevBroker } from '../src';
import { silentLogger } from '../src/logger';
import { roundTrips } from './raw-baselines';
import { median, percentile, printTable } from './stats';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const REPS = 5;
const MESSAGE = Buffer.alloc(1024, 'x');
const BATCH = 100;
const SENDS_PER_REP = 200;
const LATENCY_SAMPLES_PER_REP = 500;
const WARMUP = 50;

async function main(): Promise<void> {
  const broker = await startDevBroker({ logger: silentLogger });
  const kafka = new Kafka({ clientId: 'bench', brokers: [...broker.brokers], logLevel: logLevel.WARN });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const throughput = await measureThroughput(producer);
    const latency = await measureLatency(kafka, producer);
    const rawSend = await roundTrips(BATCH * (MESSAGE.length + 20), 60, SENDS_PER_REP * 2);
    const rawSmall = await roundTrips(MESSAGE.length + 80, 60, LATENCY_SAMPLES_PER_REP * 2);
    const rawThroughput = (BATCH * 1000) / median(rawSend);

    console.log(
      `\ndev-broker benchmark: kafkajs over loopback, ${REPS} repetitions, Node ${process.version}\n`,
    );
    printTable([
      {
        metric: 'produce throughput (msgs/s, 1 KiB, 100 per send, acks -1)',
        reps: throughput.rates,
        baseline: rawThroughput,
        target: '>= 30,000',
      },
      {
        metric: 'produce send() of 100 msgs (ms)',
        reps: throughput.sendMedians,
        p99: percentile(throughput.sends, 99),
        baseline: median(rawSend),
        target: '',
      },
      {
        metric: 'produce-to-consume latency p50 (ms)',
        reps: latency.p50s,
        p99: percentile(latency.samples, 99),
        baseline: median(rawSmall),
        target: '<= 2',
      },
    ]);
    console.log(
      '\nraw baseline: plain net sockets on 127.0.0.1, same payload sizes, one request in flight, answered by an' +
        ' in-process server (msgs/s from the median round trip; latency = one 1 KiB round trip).',
    );
  } finally {
    await producer.disconnect();
    await broker.stop();
  }
}

async function measureThroughput(producer: Producer) {
  const topic = 'bench-throughput';
  const messages = Array.from({ length: BATCH }, () => ({ value: MESSAGE }));
  for (let i = 0; i < WARMUP; i++) await producer.send({ topic, acks: -1, messages });
  const rates: number[] = [];
  const sendMedians: number[] = [];
  const sends: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const durations: number[] = [];
    const started = performance.now();
    for (let i = 0; i < SENDS_PER_REP; i++) {
      const sendStarted = performance.now();
      await producer.send({ topic, acks: -1, messages });
      durations.push(performance.now() - sendStarted);
    }
    rates.push((SENDS_PER_REP * BATCH * 1000) / (performance.now() - started));
    sendMedians.push(median(durations));
    sends.push(...durations);
  }
  return { rates, sendMedians, sends };
}

/** One message in flight at a time: the next is sent once the consumer has the previous one. */
async function measureLatency(kafka: Kafka, producer: Producer) {
  const topic = 'bench-latency';
  const consumer = kafka.consumer({ groupId: 'bench-latency' });
  let delivered: (receivedAt: number) => void = () => undefined;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({ eachMessage: async () => delivered(performance.now()) });
  const once = async () => {
    const arrived = new Promise<number>((resolve) => (delivered = resolve));
    const sentAt = performance.now();
    await producer.send({ topic, acks: -1, messages: [{ value: MESSAGE }] });
    return (await arrived) - sentAt;
  };
  await waitForAssignment(once);
  const p50s: number[] = [];
  const samples: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const repSamples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES_PER_REP; i++) repSamples.push(await once());
    p50s.push(median(repSamples));
    samples.push(...repSamples);
  }
  await consumer.disconnect();
  return { p50s, samples };
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
