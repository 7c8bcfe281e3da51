import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { sleep } from './stats';

/** Single-row INSERT, each its own transaction (autocommit), one connection, for `seconds`. */
export async function postgresInsertsPerSecond(databaseUrl: string, seconds: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CREATE TEMP TABLE bench_raw (id bigserial PRIMARY KEY, body text NOT NULL)');
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  let count = 0;
  while (performance.now() < until) {
    await client.query('INSERT INTO bench_raw (body) VALUES ($1)', ['x'.repeat(200)]);
    count++;
  }
  const rate = count / ((performance.now() - started) / 1000);
  await client.end();
  return rate;
}

/**
 * kafkajs alone on the suite's broker: one message at a time, acks -1, timed from send to the
 * consumer's eachMessage; the consumer polls with the same 100 ms max wait as the services'.
 */
export async function kafkaProduceToConsume(brokers: string[], count: number): Promise<number[]> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench.raw.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}.group`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let onMessage: (() => void) | undefined;
  await consumer.run({ eachMessage: async () => onMessage?.() });
  await producer.send({ topic, acks: -1, messages: [{ value: 'warm-up' }] });
  await sleep(2000);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const received = new Promise<void>((done) => (onMessage = done));
    const started = performance.now();
    await producer.send({ topic, acks: -1, messages: [{ key: String(i), value: 'x'.repeat(600) }] });
    await received;
    latencies.push(performance.now() - started);
  }
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  return latencies;
}
