import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { topicNames, topics } from '@tradecore/contracts';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { startDevBroker, type DevBrokerHandle } from '@tradecore/dev-broker';
import { ensureDatabase, ensureTopics, provisionServiceDatabase } from '@tradecore/eventing';

const ROOT = join(__dirname, '../../..');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A port range of its own (4300–4399), so the chaos suite runs beside other engineers' suites. */
const BASE_PORT = Number(process.env.CHAOS_BASE_PORT ?? 4300);
export const APPS = {
  'api-gateway': BASE_PORT,
  'user-account': BASE_PORT + 1,
  'broker-connection': BASE_PORT + 2,
  'broker-account': BASE_PORT + 3,
  'virtual-broker': BASE_PORT + 4,
  'saga-orchestrator': BASE_PORT + 5,
} as const;
export type App = keyof typeof APPS;
export const SERVICES = Object.keys(APPS).filter((app) => app !== 'api-gateway') as Exclude<
  App,
  'api-gateway'
>[];
export const schemaOf = (app: App) => app.replace(/-/g, '_');

export const eventually = async <T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

/** Progress on stderr, so a long run shows where it is. */
export const progress = (message: string) =>
  process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

export interface HttpResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** The whole suite as users run it: compiled apps, each its own process, schema and role, behind the gateway. */
export class ChaosStack {
  private readonly processes = new Map<App, ChildProcess>();
  readonly output = new Map<App, string[]>();
  private env: Record<string, string> = {};
  readonly roleUrls = new Map<string, string>();
  readonly secrets: string[] = [];
  private privateKeyPem = '';
  brokerPort = 0;

  private constructor(
    private broker: DevBrokerHandle | undefined,
    private readonly dataDir: string,
    readonly databaseUrl: string,
  ) {}

  /** Compiles the services (SWC, a few seconds) so the processes under test are the current code. */
  static build(): void {
    execFileSync(
      join(ROOT, 'node_modules/.bin/swc'),
      [
        'apps',
        'libs',
        'scripts',
        '-d',
        'dist',
        '--config-file',
        '.swcrc',
        '--copy-files',
        '--quiet',
        '--ignore',
        '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts,apps/saga-orchestrator/dashboard/**',
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
  }

  static async start(): Promise<ChaosStack> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradecore-chaos-'));
    const broker = await startDevBroker({ port: 0, dataDir, logger: silent, defaultPartitions: 3 });
    const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tradecore_test';
    const url = new URL(base);
    url.pathname = `/chaos_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(url.toString());
    const stack = new ChaosStack(broker, dataDir, url.toString());
    stack.brokerPort = Number(broker.brokers[0].split(':').pop());
    await stack.provisionTopics();
    const keys = createTestKeyPair();
    stack.privateKeyPem = keys.privateKeyPem;
    const credentialsKey = randomBytes(32).toString('base64');
    const adminPassword = `Admin-${randomBytes(6).toString('hex')}!`;
    for (const app of SERVICES) {
      const password = `pw-${randomBytes(8).toString('hex')}`;
      stack.secrets.push(password);
      stack.roleUrls.set(
        app,
        await provisionServiceDatabase(stack.databaseUrl, {
          schema: schemaOf(app),
          role: schemaOf(app),
          password,
        }),
      );
    }
    stack.secrets.push(credentialsKey, adminPassword, keys.privateKeyPem.split('\n')[1]);
    stack.env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: broker.brokers.join(','),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/5',
      AUTH_PUBLIC_KEY: keys.publicKeyPem,
      KAFKA_TOPIC_RECHECK_MS: '500',
      OUTBOX_POLL_INTERVAL_MS: '200',
      QUOTE_TICK_MS: '0',
      SAGA_DEADLINE_POLL_MS: '200',
      SAGA_TIMEOUT_SCALE: '0.3',
      RATE_LIMIT_MAX: '1000000',
      LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '100000',
    };
    stack.perApp = {
      'user-account': {
        AUTH_PRIVATE_KEY: keys.privateKeyPem,
        ADMIN_EMAIL: 'admin@chaos.test',
        ADMIN_PASSWORD: adminPassword,
      },
      'broker-connection': { CREDENTIALS_KEYS: `k1:${credentialsKey}`, CREDENTIALS_ACTIVE_KEY_ID: 'k1' },
      'api-gateway': Object.fromEntries(
        SERVICES.map((app) => [`${schemaOf(app).toUpperCase()}_URL`, `http://127.0.0.1:${APPS[app]}`]),
      ),
    };
    for (const app of Object.keys(APPS) as App[]) stack.spawn(app);
    try {
      for (const app of Object.keys(APPS) as App[]) await stack.ready(app);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  private perApp: Partial<Record<App, Record<string, string>>> = {};

  private async provisionTopics(): Promise<void> {
    const admin = this.kafka().admin();
    await admin.connect();
    await ensureTopics(
      admin,
      topicNames.map((name) => ({
        name,
        partitions: 3,
        owned: true,
        ...(topics[name].kind === 'events' && { retentionMs: -1 }),
      })),
      'chaos',
    );
    await admin.disconnect();
  }

  kafka(): Kafka {
    return new Kafka({
      clientId: 'chaos',
      brokers: [`127.0.0.1:${this.brokerPort}`],
      logLevel: logLevel.NOTHING,
    });
  }

  token(userId: string, role = 'user'): string {
    return signTestToken(this.privateKeyPem, { userId, role: role as 'user', expiresInSeconds: 7200 });
  }

  adminToken(): string {
    return this.token('00000000-0000-7000-8000-000000000001', 'admin');
  }

  url(app: App): string {
    return `http://127.0.0.1:${APPS[app]}`;
  }

  spawn(app: App): void {
    const databaseUrl = this.roleUrls.get(app);
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps', app, 'src/main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...this.env,
        ...this.perApp[app],
        ...(databaseUrl && { DATABASE_URL: databaseUrl }),
        PORT: String(APPS[app]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = this.output.get(app) ?? [];
    this.output.set(app, lines);
    child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    this.processes.set(app, child);
  }

  running(app: App): boolean {
    const child = this.processes.get(app);
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  async ready(app: App, timeoutMs = 90_000): Promise<void> {
    await eventually(async () => {
      const response = await fetch(`${this.url(app)}/health/ready`);
      return response.status === 200 ? true : undefined;
    }, timeoutMs).catch((error: Error) => {
      throw new Error(`${app} not ready: ${error.message}\n${this.logs(app).slice(-3000)}`);
    });
  }

  logs(app: App): string {
    return (this.output.get(app) ?? []).join('');
  }

  async kill(app: App, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.processes.get(app);
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    }
    this.processes.delete(app);
  }

  /** Stops the broker as an outage would: every connection drops, nothing answers on its port. */
  async stopBroker(): Promise<void> {
    await this.broker?.stop();
    this.broker = undefined;
  }

  async startBroker(): Promise<void> {
    this.broker = await startDevBroker({
      port: this.brokerPort,
      dataDir: this.dataDir,
      logger: silent,
      defaultPartitions: 3,
    });
  }

  async http(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    raw?: string,
  ): Promise<HttpResult> {
    const response = await fetch(`${this.url('api-gateway')}${path}`, {
      method,
      signal: AbortSignal.timeout(60_000),
      headers: {
        'content-type': 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: ['GET', 'HEAD'].includes(method)
        ? undefined
        : (raw ?? (body === undefined ? undefined : JSON.stringify(body))),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed, text };
  }

  async sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(query, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Every message of a topic from the beginning up to its current end. */
  async readTopic(
    topic: string,
  ): Promise<{ partition: number; key: string; value: string; headers: Record<string, string> }[]> {
    const kafka = this.kafka();
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const remaining = new Map(ends.map((end) => [end.partition, Number(end.high)]));
    const messages: { partition: number; key: string; value: string; headers: Record<string, string> }[] = [];
    if ([...remaining.values()].every((high) => high === 0)) return messages;
    const consumer = kafka.consumer({ groupId: `chaos-reader-${randomBytes(6).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 60_000);
      const check = () => {
        if ([...remaining.entries()].every(([, high]) => high <= 0)) {
          clearTimeout(timer);
          resolve();
        }
      };
      void consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {}))
              headers[name] = String(Array.isArray(value) ? value[0] : value);
            messages.push({
              partition,
              key: message.key?.toString() ?? '',
              value: message.value?.toString() ?? '',
              headers,
            });
            const high = ends.find((end) => end.partition === partition);
            if (high && Number(message.offset) + 1 >= Number(high.high)) remaining.set(partition, 0);
            check();
          },
        })
        .catch(reject);
      check();
    });
    await consumer.disconnect();
    return messages;
  }

  async produce(
    topic: string,
    messages: { key: string; value: string | Buffer; headers?: Record<string, string> }[],
  ) {
    const producer = this.kafka().producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();
  }

  async stop(): Promise<void> {
    for (const app of [...this.processes.keys()]) {
      const child = this.processes.get(app) as ChildProcess;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await this.broker?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    const admin = new URL(this.databaseUrl);
    const name = admin.pathname.slice(1);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
}
