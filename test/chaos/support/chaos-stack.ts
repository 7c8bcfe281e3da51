import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { get, request } from 'node:http';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type Message, produce, readTopic, type TopicMessage } from './topic-tools';
import { Client } from 'pg';
import { dropDatabase, stopEach } from '../../support/child-processes';
import { topicNames, topics } from '@tradecore/contracts';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { startDevBroker, type DevBrokerHandle } from '@tradecore/dev-broker';
import { ensureDatabase, ensureTopics, provisionServiceDatabase } from '@tradecore/eventing';
import { eventually as eventuallyWithin } from '@tradecore/eventing/testing';

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
  automation: BASE_PORT + 6,
} as const;
export type App = keyof typeof APPS;
export const SERVICES = Object.keys(APPS).filter((app) => app !== 'api-gateway') as Exclude<
  App,
  'api-gateway'
>[];
export const schemaOf = (app: App) => app.replace(/-/g, '_');

/** Polls until the probe yields a value; a probe that throws counts as not yet. */
export const eventually = <T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> =>
  eventuallyWithin(probe, timeoutMs, 250);

/** Progress on stderr, so a long run shows where it is. */
export const progress = (message: string) =>
  process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

export const newLoopbackAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** A probe without keep-alive, so no idle socket outlives the run. */
export const readiness = (url: string) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    get(url, { agent: false, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
      );
      response.on('error', reject);
    })
      .on('timeout', function (this: ReturnType<typeof get>) {
        this.destroy(new Error('no answer within 10 s'));
      })
      .on('error', reject);
  });

export interface HttpResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers?: Record<string, string | string[] | undefined>;
}

/** The whole suite as users run it: compiled apps, each its own process, schema and role, behind the gateway. */
export class ChaosStack {
  private readonly processes = new Map<App, ChildProcess>();
  readonly output = new Map<string, string[]>();
  private env: Record<string, string> = {};
  readonly roleUrls = new Map<string, string>();
  /** Variables an app gets on its next spawn over everything else (e.g. a DATABASE_URL through a proxy). */
  readonly overrides = new Map<App, Record<string, string>>();
  readonly secrets: string[] = [];
  private privateKeyPem = '';
  brokerPort = 0;

  private constructor(
    private broker: DevBrokerHandle | undefined,
    private readonly dataDir: string,
    readonly databaseUrl: string,
  ) {}

  static async start(envOverrides: Record<string, string> = {}): Promise<ChaosStack> {
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
      // Every scenario signs its users up and in from this one address; the throttle is user-account's own test.
      LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '100000',
      // The saga storm opens dozens of connections per user at full scale.
      BROKER_CONNECTIONS_PER_USER: '1000',
      ...envOverrides,
    };
    stack.perApp = {
      'user-account': {
        AUTH_PRIVATE_KEY: keys.privateKeyPem,
        TRUSTED_PROXIES: '127.0.0.1',
        ADMIN_EMAIL: 'admin@chaos.test',
        ADMIN_PASSWORD: adminPassword,
      },
      'broker-connection': { CREDENTIALS_KEYS: `k1:${credentialsKey}`, CREDENTIALS_ACTIVE_KEY_ID: 'k1' },
      'api-gateway': Object.fromEntries(
        SERVICES.map((app) => [`${schemaOf(app).toUpperCase()}_URL`, `http://127.0.0.1:${APPS[app]}`]),
      ),
    };
    progress(`app logs in ${stack.logDir}`);
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
    this.processes.set(app, this.launch(app, APPS[app], app));
  }

  /** One more process of `app` on `port`, with `env` over the rest: a second replica, stopped with the stack. */
  async spawnReplica(app: App, port: number, env: Record<string, string> = {}): Promise<void> {
    const name = `${app}-${port}`;
    const child = this.launch(app, port, name, env);
    this.replicas.push(child);
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited:\n${this.logs(name).slice(-3000)}`);
      return (await readiness(`http://127.0.0.1:${port}/health/ready`)).status === 200 ? true : undefined;
    }, 90_000);
  }

  /** The process id of the app's first replica, to read its memory use. */
  pid(app: App): number | undefined {
    return this.processes.get(app)?.pid;
  }

  private readonly replicas: ChildProcess[] = [];

  private launch(app: App, port: number, name: string, env: Record<string, string> = {}): ChildProcess {
    const databaseUrl = this.roleUrls.get(app);
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps', app, 'src/main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...this.env,
        ...this.perApp[app],
        ...(databaseUrl && { DATABASE_URL: databaseUrl }),
        ...this.overrides.get(app),
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = this.output.get(name) ?? [];
    this.output.set(name, lines);
    const file = join(this.logDir, `${name}.log`);
    const keep = (chunk: Buffer) => {
      lines.push(chunk.toString());
      appendFileSync(file, chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => appendFileSync(file, `\n[chaos] ${name} exited: ${code ?? signal}\n`));
    return child;
  }

  running(app: App): boolean {
    const child = this.processes.get(app);
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  async ready(app: App, timeoutMs = 90_000): Promise<void> {
    await eventually(async () => {
      if (!this.running(app)) return 'exited';
      const response = await readiness(`${this.url(app)}/health/ready`);
      if (response.status === 200) return 'ready';
      throw new Error(`${response.status} ${response.text.slice(0, 300)}`);
    }, timeoutMs)
      .then((state) => {
        if (state === 'exited') throw new Error(`${app} exited (${join(this.logDir, `${app}.log`)})`);
      })
      .catch((error: Error) => {
        throw new Error(`${app} not ready: ${error.message}\n${this.logs(app).slice(-3000)}`);
      });
  }

  logs(app: string): string {
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

  /**
   * A request to the gateway from a loopback address of this run's own (127.x.y.z), so the
   * per-address login limit counts only this run; `from` picks another address.
   */
  http(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    raw?: string,
    options: { from?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const payload = ['GET', 'HEAD'].includes(method)
      ? undefined
      : (raw ?? (body === undefined ? undefined : JSON.stringify(body)));
    return new Promise((resolve, reject) => {
      const sent = request(
        {
          host: '127.0.0.1',
          port: APPS['api-gateway'],
          method,
          path,
          agent: false,
          localAddress: options.from ?? this.clientAddress,
          timeout: 60_000,
          headers: {
            'content-type': 'application/json',
            ...(token && { authorization: `Bearer ${token}` }),
            ...(payload !== undefined && { 'content-length': String(Buffer.byteLength(payload)) }),
            ...options.headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = text;
            }
            resolve({ status: response.statusCode ?? 0, body: parsed, text, headers: response.headers });
          });
        },
      );
      sent.on('timeout', () => sent.destroy(new Error(`${method} ${path} timed out`)));
      sent.on('error', reject);
      sent.end(payload);
    });
  }

  /** Each app's output across restarts, kept after the run (the path is printed at the start). */
  readonly logDir = mkdtempSync(join(tmpdir(), 'tradecore-chaos-logs-'));

  /** The loopback address requests come from unless told otherwise; random, so Redis windows of earlier runs do not count. */
  readonly clientAddress = newLoopbackAddress();

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

  readTopic(topic: string): Promise<TopicMessage[]> {
    return readTopic(this.kafka(), topic);
  }

  produce(topic: string, messages: Message[]): Promise<void> {
    return produce(this.kafka(), topic, messages);
  }

  async stop(): Promise<void> {
    await stopEach([...this.replicas, ...this.processes.values()]);
    await this.broker?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    await dropDatabase(this.databaseUrl);
  }
}
