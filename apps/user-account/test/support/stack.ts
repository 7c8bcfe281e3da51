import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestKeyPair } from '@tradecore/auth/testing';
import { type DevBrokerHandle, startDevBroker } from '@tradecore/dev-broker';
import { type Envelope, newMessageId, parseEnvelope, toKafkaRecord } from '@tradecore/eventing';
import { eventually } from '@tradecore/eventing/testing';
export { eventually };
import Redis from 'ioredis';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import request from 'supertest';

const root = join(__dirname, '../../../..');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/tradecore_test';

export interface RunningProcess {
  readonly url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface Stack {
  readonly gateway: RunningProcess;
  readonly userAccount: RunningProcess;
  readonly keys: { publicKeyPem: string; privateKeyPem: string };
  readonly kafka: Kafka;
  /** A superuser connection to the test database, to read user-account's tables. */
  readonly db: Client;
  produce(topic: string, envelope: Envelope): Promise<void>;
  consume(topic: string): Promise<{ messages: Envelope[]; stop: () => Promise<void> }>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs the project build (SWC, about a second) so the processes under test are the current code. */
export function buildApps(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}

export async function startProcess(
  main: string,
  env: Record<string, string>,
  readyPath: string,
): Promise<RunningProcess> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [join(root, main)], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'debug', ...env, PORT: String(port) },
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  await eventually(async () => {
    if (exited) return 'exited';
    const response = await fetch(`${url}${readyPath}`);
    return response.ok ? 'ready' : undefined;
  }, 30_000)
    .then((state) => {
      if (state === 'exited') throw new Error('exited');
    })
    .catch((error: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${main} did not become ready: ${error.message}\n${output.slice(-3000)}`);
    });
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** What a describe's tests work with once its `beforeAll` has run, and the gateway to call. */
export class StackSuite {
  stack!: Stack;
  readonly api = () => request(this.stack.gateway.url);
}

/** Before a describe's tests: the stack started with `extraEnv`; after them, stopped. */
export function useStack(extraEnv: Record<string, string> = {}): StackSuite {
  const suite = new StackSuite();
  beforeAll(async () => {
    suite.stack = await startStack(extraEnv);
  }, 90_000);
  afterAll(async () => {
    await suite.stack?.stop();
  });
  return suite;
}

/** The real user-account and gateway as compiled child processes, on real PostgreSQL, Redis and the dev broker. */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<Stack> {
  buildApps();
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    return await startStackParts(extraEnv, cleanup);
  } catch (error) {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    throw error;
  }
}

async function startStackParts(
  extraEnv: Record<string, string>,
  cleanup: (() => Promise<unknown>)[],
): Promise<Stack> {
  const broker: DevBrokerHandle = await startDevBroker({ port: 0, logger: silent });
  cleanup.push(() => broker.stop());
  const kafka = new Kafka({ clientId: 'ua-e2e', brokers: [...broker.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['broker-connection.events', 'saga.replies'].map((topic) => ({ topic, numPartitions: 1 })),
  });
  await admin.disconnect();

  const db = new Client({ connectionString: ADMIN_URL });
  await db.connect();
  cleanup.push(() => db.end());
  await db.query('DROP SCHEMA IF EXISTS user_account CASCADE');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const stale = await redis.keys('user-account:login:*');
  if (stale.length) await redis.del(...stale);
  await redis.quit();

  const keys = createTestKeyPair();
  const userAccount = await startProcess(
    'dist/apps/user-account/src/main.js',
    {
      DATABASE_ADMIN_URL: ADMIN_URL,
      KAFKA_BROKERS: broker.brokers.join(','),
      AUTH_PUBLIC_KEY: keys.publicKeyPem.replace(/\n/g, '\\n'),
      AUTH_PRIVATE_KEY: keys.privateKeyPem,
      OUTBOX_POLL_INTERVAL_MS: '100',
      // As the launcher runs it: the gateway, on this host, is the one proxy whose X-Forwarded-For counts.
      TRUSTED_PROXIES: '127.0.0.1',
      ...extraEnv,
    },
    '/health/ready',
  );
  cleanup.push(() => userAccount.stop());
  const gateway = await startProcess(
    'dist/apps/api-gateway/src/main.js',
    { USER_ACCOUNT_URL: userAccount.url, UPSTREAM_TIMEOUT_MS: '3000' },
    '/health/live',
  );
  const producer = kafka.producer();
  await producer.connect();
  const consumers: Consumer[] = [];

  return {
    gateway,
    userAccount,
    keys,
    kafka,
    db,
    produce: async (topic, envelope) => {
      const { key, value, headers } = toKafkaRecord(envelope);
      await producer.send({ topic, messages: [{ key, value, headers }] });
    },
    consume: async (topic) => {
      const consumer = kafka.consumer({ groupId: `ua-e2e-${newMessageId()}` });
      consumers.push(consumer);
      const messages: Envelope[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => void messages.push(parseEnvelope(message.value)),
      });
      return { messages, stop: () => consumer.disconnect() };
    },
    stop: async () => {
      await Promise.all(consumers.map((consumer) => consumer.disconnect().catch(() => undefined)));
      await producer.disconnect();
      await gateway.stop();
      await userAccount.stop();
      await db.query('DROP SCHEMA IF EXISTS user_account CASCADE');
      await db.end();
      await broker.stop();
    },
  };
}
