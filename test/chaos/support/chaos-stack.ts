import { randomBytes, randomInt } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type Message, produce, readTopic, type TopicMessage } from '../../../scripts/lib/topic-tools';
import { Client } from 'pg';
import { dropDatabase } from '../../support/child-processes';
import {
  type App,
  AppProcesses,
  createDatabase,
  portsFrom,
  schemaOf,
  startSuiteBroker,
  suiteEnv,
} from '../../support/app-processes';
import { topicNames, topics } from '@tradecore/contracts';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { ensureTopics, provisionServiceDatabase } from '@tradecore/eventing';
import { eventually as poll } from '@tradecore/eventing/testing';

export { type App, readiness, schemaOf } from '../../support/app-processes';

/** A port range of its own (4300–4399), so the chaos suite runs beside other engineers' suites. */
export const APPS = portsFrom(Number(process.env.CHAOS_BASE_PORT ?? 4300));
export const SERVICES = Object.keys(APPS).filter((app) => app !== 'api-gateway') as Exclude<
  App,
  'api-gateway'
>[];

/** The library's poller every 250 ms, so the probes of a suite under faults add little load and few logins. */
export const eventually = <T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> =>
  poll(probe, timeoutMs, 250);

/** Progress on stderr, so a long run shows where it is. */
export const progress = (message: string) =>
  process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

export const newLoopbackAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

export interface HttpResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers?: Record<string, string | string[] | undefined>;
}

/** The whole suite as users run it: compiled apps, each its own process, schema and role, behind the gateway. */
export class ChaosStack extends AppProcesses {
  readonly secrets: string[] = [];
  private privateKeyPem = '';
  brokerPort = 0;

  private constructor(
    private broker: DevBrokerHandle | undefined,
    private readonly dataDir: string,
    readonly databaseUrl: string,
  ) {
    // Each app's output across restarts, kept after the run (the path is printed at the start).
    super(APPS, mkdtempSync(join(tmpdir(), 'tradecore-chaos-logs-')));
  }

  static async start(envOverrides: Record<string, string> = {}): Promise<ChaosStack> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradecore-chaos-'));
    const broker = await startSuiteBroker(dataDir);
    const stack = new ChaosStack(broker, dataDir, await createDatabase('chaos'));
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
      ...suiteEnv(broker.brokers, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/5', keys.publicKeyPem),
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '1000000',
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
    await stack.spawnAll();
    return stack;
  }

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

  /** Stops the broker as an outage would: every connection drops, nothing answers on its port. */
  async stopBroker(): Promise<void> {
    await this.broker?.stop();
    this.broker = undefined;
  }

  async startBroker(): Promise<void> {
    this.broker = await startSuiteBroker(this.dataDir, this.brokerPort);
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

  override async stop(): Promise<void> {
    await super.stop();
    await this.broker?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    await dropDatabase(this.databaseUrl);
  }
}
