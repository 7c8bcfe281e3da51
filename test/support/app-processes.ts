import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startDevBroker } from '@tradecore/dev-broker';
import { ensureDatabase } from '@tradecore/eventing';
import { eventually } from '@tradecore/eventing/testing';
import { stopEach } from './child-processes';

const ROOT = join(__dirname, '../..');

const APP_NAMES = [
  'api-gateway',
  'user-account',
  'broker-connection',
  'broker-account',
  'virtual-broker',
  'saga-orchestrator',
  'automation',
] as const;
export type App = (typeof APP_NAMES)[number];

/** The gateway on `base` and the services on the six ports after it: a suite's own range, so suites run side by side. */
export const portsFrom = (base: number) =>
  Object.fromEntries(APP_NAMES.map((app, offset) => [app, base + offset])) as Record<App, number>;

export const schemaOf = (app: App) => app.replace(/-/g, '_');

const mainOf = (app: App) => join(ROOT, 'dist/apps', app, 'src/main.js');

/** Runs the project build (SWC, about a second) so the processes under test are the current code. */
export function buildSuite(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const missing = APP_NAMES.filter((app) => !existsSync(mainOf(app)));
  if (missing.length) throw new Error(`the build produced no main.js for ${missing.join(', ')}`);
}

/** A fresh database named `<prefix>_<random>` beside DATABASE_URL's, for one run; drop it with `dropDatabase`. */
export async function createDatabase(prefix: string): Promise<string> {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tradecore_test');
  url.pathname = `/${prefix}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(url.toString());
  return url.toString();
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A quiet dev broker on a free port with three partitions a topic, as a suite's apps share it. */
export const startSuiteBroker = (dataDir?: string, port = 0) =>
  startDevBroker({ port, dataDir, logger: silent, defaultPartitions: 3 });

/** What every app of a suite started by a test runs with: its broker, Redis and key, and quick polls. */
export const suiteEnv = (brokers: readonly string[], redisUrl: string, authPublicKey: string) => ({
  NODE_ENV: 'test',
  KAFKA_BROKERS: brokers.join(','),
  REDIS_URL: redisUrl,
  AUTH_PUBLIC_KEY: authPublicKey,
  KAFKA_TOPIC_RECHECK_MS: '500',
  OUTBOX_POLL_INTERVAL_MS: '200',
  QUOTE_TICK_MS: '0',
  SAGA_DEADLINE_POLL_MS: '200',
  // Step timeouts of 3 s (retries 6 s, 12 s) keep the timeout tests short but well above a healthy reply.
  SAGA_TIMEOUT_SCALE: '0.3',
});

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

/** Node running `args` from the repo root; what it writes goes to `keep` and, if named, to the end of `logFile`. */
export function spawnNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  keep: (text: string) => void,
  logFile?: string,
): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const write = (chunk: Buffer) => {
    keep(chunk.toString());
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout?.on('data', write);
  child.stderr?.on('data', write);
  return child;
}

export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * Polls every 250 ms until `probe` holds: fails at once if `child` exits first, and with the end of
 * what it wrote past `timeoutMs`, so a test that cannot start says why.
 */
export async function untilUp(
  name: string,
  child: ChildProcess,
  probe: () => Promise<boolean>,
  { timeoutMs, output }: { timeoutMs: number; output: () => string },
): Promise<void> {
  const state = await eventually(
    async () => (exited(child) ? ('exited' as const) : (await probe()) && ('up' as const)),
    timeoutMs,
    250,
  ).catch((error: Error) => error.message);
  if (state !== 'up')
    throw new Error(
      `${name} ${state === 'exited' ? 'exited' : `not ready: ${state}`}\n${output().slice(-3000)}`,
    );
}

/** The compiled apps as child processes on `ports`: their environment, output, logs, readiness and kills. */
export class AppProcesses<A extends App = App> {
  private readonly processes = new Map<A, ChildProcess>();
  private readonly replicas: ChildProcess[] = [];
  private readonly output = new Map<string, string[]>();
  /** Variables an app gets on its next spawn over everything else (e.g. a DATABASE_URL through a proxy). */
  readonly overrides = new Map<A, Record<string, string>>();
  protected env: Record<string, string> = {};
  protected perApp: Partial<Record<A, Record<string, string>>> = {};
  /** Each app's own DATABASE_URL, where the apps log in with roles of their own. */
  readonly roleUrls = new Map<string, string>();

  /** With `logDir`, each app's output across restarts is also kept in `<logDir>/<app>.log`. */
  constructor(
    private readonly ports: Record<A, number>,
    readonly logDir?: string,
  ) {}

  url(app: A): string {
    return `http://127.0.0.1:${this.ports[app]}`;
  }

  spawn(app: A): void {
    this.processes.set(app, this.launch(app, this.ports[app], app));
  }

  /** Spawns every app and waits until each is ready; stops everything if one is not. */
  protected async spawnAll(): Promise<void> {
    const apps = Object.keys(this.ports) as A[];
    // Owners create their topics; a consumer of a topic not created yet waits, so all start together.
    for (const app of apps) this.spawn(app);
    try {
      for (const app of apps) await this.ready(app);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** One more process of `app` on `port`, with `env` over the rest: a second replica, stopped with the stack. */
  async spawnReplica(app: A, port: number, env: Record<string, string> = {}): Promise<void> {
    const name = `${app}-${port}`;
    const child = this.launch(app, port, name, env);
    this.replicas.push(child);
    await untilUp(
      name,
      child,
      async () => (await readiness(`http://127.0.0.1:${port}/health/ready`)).status === 200,
      {
        timeoutMs: 90_000,
        output: () => this.logs(name),
      },
    );
  }

  /** The process id of the app's first replica, to read its memory use. */
  pid(app: A): number | undefined {
    return this.processes.get(app)?.pid;
  }

  private launch(app: A, port: number, name: string, env: Record<string, string> = {}): ChildProcess {
    const databaseUrl = this.roleUrls.get(app);
    const lines = this.output.get(name) ?? [];
    this.output.set(name, lines);
    const logFile = this.logDir && join(this.logDir, `${name}.log`);
    const child = spawnNode(
      [mainOf(app)],
      {
        ...process.env,
        ...this.env,
        ...this.perApp[app],
        ...(databaseUrl && { DATABASE_URL: databaseUrl }),
        ...this.overrides.get(app),
        ...env,
        PORT: String(port),
      },
      (text) => lines.push(text),
      logFile,
    );
    if (logFile)
      child.on('exit', (code, signal) => appendFileSync(logFile, `\n${name} exited: ${code ?? signal}\n`));
    return child;
  }

  running(app: A): boolean {
    const child = this.processes.get(app);
    return !!child && !exited(child);
  }

  async ready(app: A, timeoutMs = 90_000): Promise<void> {
    const child = this.processes.get(app);
    if (!child) throw new Error(`${app} was not started`);
    await untilUp(
      app,
      child,
      async () => {
        const response = await readiness(`${this.url(app)}/health/ready`);
        if (response.status === 200) return true;
        throw new Error(`${response.status} ${response.text.slice(0, 300)}`);
      },
      { timeoutMs, output: () => this.logs(app) },
    );
  }

  logs(app: string): string {
    return (this.output.get(app) ?? []).join('');
  }

  /** SIGKILL leaves it as a crash would; SIGTERM shuts it down cleanly, leaving its consumer groups at once. */
  async kill(app: A, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.processes.get(app);
    if (!child) return;
    if (!exited(child)) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await gone;
    }
    this.processes.delete(app);
  }

  /** Stops every process; a suite that brought stores of its own stops them after. */
  async stop(): Promise<void> {
    await stopEach([...this.replicas, ...this.processes.values()]);
  }
}
