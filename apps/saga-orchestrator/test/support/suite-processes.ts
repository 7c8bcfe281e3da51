import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { startDevBroker, type DevBrokerHandle } from '@tradecore/dev-broker';
import { ensureDatabase } from '@tradecore/eventing';
import { dropDatabase, stopEach } from '../../../../test/support/child-processes';
import { eventually } from './orchestrator-kit';

const ROOT = join(__dirname, '../../../..');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const SUITE_APPS = {
  'user-account': 4101,
  'broker-connection': 4102,
  'broker-account': 4103,
  'virtual-broker': 4104,
  'saga-orchestrator': 4105,
  automation: 4106,
} as const;
export type SuiteApp = keyof typeof SUITE_APPS;

export const mainOf = (app: SuiteApp) => join(ROOT, 'dist/apps', app, 'src/main.js');

/** Runs the project build (SWC, about a second) so the processes under test are the current code. */
export function buildSuite(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const missing = (Object.keys(SUITE_APPS) as SuiteApp[]).filter((app) => !existsSync(mainOf(app)));
  if (missing.length) throw new Error(`the build produced no main.js for ${missing.join(', ')}`);
}

/** Every service as its own process from `dist/` (after `npm run build`), on one dev broker and a fresh database. */
export class SuiteProcesses {
  private readonly processes = new Map<SuiteApp, ChildProcess>();
  readonly output = new Map<SuiteApp, string[]>();
  private env: Record<string, string> = {};
  private privateKeyPem = '';

  private constructor(
    private readonly broker: DevBrokerHandle,
    readonly databaseUrl: string,
  ) {}

  static async start(extraEnv: Record<string, string> = {}): Promise<SuiteProcesses> {
    const broker = await startDevBroker({ port: 0, logger: silent, defaultPartitions: 3 });
    const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tradecore_test';
    const url = new URL(base);
    url.pathname = `/saga_suite_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(url.toString());
    const suite = new SuiteProcesses(broker, url.toString());
    const keys = createTestKeyPair();
    suite.privateKeyPem = keys.privateKeyPem;
    suite.env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: broker.brokers.join(','),
      DATABASE_URL: suite.databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      AUTH_PUBLIC_KEY: keys.publicKeyPem,
      AUTH_PRIVATE_KEY: keys.privateKeyPem,
      CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      CREDENTIALS_ACTIVE_KEY_ID: 'k1',
      DATA_KEYS_WRAPPING_KEY: randomBytes(32).toString('base64'),
      KAFKA_TOPIC_RECHECK_MS: '500',
      OUTBOX_POLL_INTERVAL_MS: '200',
      QUOTE_TICK_MS: '0',
      SAGA_DEADLINE_POLL_MS: '200',
      // Step timeouts of 3 s (retries 6 s, 12 s) keep the timeout test short but well above a healthy reply.
      SAGA_TIMEOUT_SCALE: '0.3',
      ...extraEnv,
    };
    // Owners create their topics; a consumer of a topic not created yet waits, so all start together.
    for (const app of Object.keys(SUITE_APPS) as SuiteApp[]) suite.spawn(app);
    for (const app of Object.keys(SUITE_APPS) as SuiteApp[]) await suite.ready(app);
    return suite;
  }

  get brokers(): readonly string[] {
    return this.broker.brokers;
  }

  adminToken(): string {
    return signTestToken(this.privateKeyPem, {
      userId: '00000000-0000-7000-8000-000000000001',
      role: 'admin',
    });
  }

  url(app: SuiteApp): string {
    return `http://127.0.0.1:${SUITE_APPS[app]}`;
  }

  /** One HTTP call to a service, as JSON, with an optional bearer token. */
  async call(app: SuiteApp, method: string, path: string, token?: string, body?: unknown) {
    const response = await fetch(`${this.url(app)}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  spawn(app: SuiteApp): void {
    const child = spawn(process.execPath, [mainOf(app)], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(SUITE_APPS[app]) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = this.output.get(app) ?? [];
    this.output.set(app, lines);
    child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    this.processes.set(app, child);
  }

  async ready(app: SuiteApp, timeoutMs = 60_000): Promise<void> {
    await eventually(async () => {
      const response = await fetch(`${this.url(app)}/health/ready`);
      return response.status === 200 ? true : undefined;
    }, timeoutMs).catch((error: Error) => {
      throw new Error(
        `${app} not ready: ${error.message}\n${(this.output.get(app) ?? []).join('').slice(-3000)}`,
      );
    });
  }

  /** SIGKILL leaves it as a crash would; SIGTERM shuts it down cleanly, leaving its consumer groups at once. */
  async kill(app: SuiteApp, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const child = this.processes.get(app);
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.processes.delete(app);
  }

  async stop(): Promise<void> {
    await stopEach(this.processes.values());
    await this.broker.stop();
    await dropDatabase(this.databaseUrl);
  }
}
