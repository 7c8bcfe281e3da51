import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { eventually } from '@tradecore/eventing/testing';
import { exited, spawnNode, untilUp } from './app-processes';

function descendantsOf(pid: number): number[] {
  // ps exits 1 when the process has no children; its (empty) output is still the answer.
  const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => Number(line.trim()))
    .filter((child) => child > 0);
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// Generous: the machine may be busy, and each app migrates its schema before it is ready.
const UP_WITHIN_MS = 240_000;
// The launcher gives its apps 15 s to drain before it kills them.
const STOPPED_WITHIN_MS = 60_000;

/** Where a launched suite keeps its state: its own database, ports and Redis database. */
export interface SuitePorts {
  readonly database: string;
  readonly gatewayPort: number;
  readonly brokerPort: number;
  readonly redisDb: number;
}

/** A fresh suite's stores and, optionally, its extra settings, the services to start and where its log goes. */
export interface FreshSuite extends SuitePorts {
  readonly dataDir: string;
  readonly extraEnv?: NodeJS.ProcessEnv;
  readonly services?: readonly string[];
  readonly logFile?: string;
}

/** Before a describe block's tests, the suite launched fresh on `ports`; after them, stopped and its data removed. */
export function useLaunchedSuite(ports: SuitePorts): void {
  const dataDir = mkdtempSync(join(tmpdir(), `${ports.database}-`));
  let suite: LaunchedSuite | undefined;
  beforeAll(async () => {
    suite = await LaunchedSuite.fresh({ ...ports, dataDir });
  }, 300_000);
  afterAll(async () => {
    await suite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);
}

/**
 * `npm start` as a person runs it (the compiled apps, so build first), on the ports and stores
 * `env` names; `--services` starts a subset. Its output goes to `logFile`.
 */
export class LaunchedSuite {
  private readonly processes = new Set<number>();
  private output = '';
  private readonly launcher: ChildProcess;

  private constructor(args: readonly string[], env: NodeJS.ProcessEnv, logFile: string) {
    const keep = (text: string) => (this.output = (this.output + text).slice(-20_000));
    this.launcher = spawnNode(args, env, keep, logFile);
  }

  /** The last 20,000 characters the launcher wrote. */
  get recentOutput(): string {
    return this.output;
  }

  /** The launcher and every process it started, seen so far. */
  get processCount(): number {
    this.remember();
    return this.processes.size;
  }

  /** What `npm start` is given to keep its state on `options`' ports and stores, plus `extra`. */
  static envFor(options: FreshSuite): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GATEWAY_PORT: String(options.gatewayPort),
      DEV_BROKER_PORT: String(options.brokerPort),
      DEV_BROKER_DATA_DIR: join(options.dataDir, 'kafka'),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${options.database}`,
      REDIS_URL: `redis://127.0.0.1:6379/${options.redisDb}`,
      ...options.extraEnv,
    };
    delete env.KAFKA_BROKERS;
    return env;
  }

  /**
   * The suite (or `services` of it) on its own ports, a database dropped and a Redis database
   * emptied first, its broker's data and the log under `dataDir` unless `logFile` says otherwise:
   * what a test that runs `npm start` as a user needs.
   */
  static async fresh(options: FreshSuite): Promise<LaunchedSuite> {
    const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${options.database} WITH (FORCE)`);
    await admin.end();
    const redis = new Redis({ host: '127.0.0.1', port: 6379, db: options.redisDb, lazyConnect: true });
    await redis.connect();
    await redis.flushdb();
    redis.disconnect();
    const logFile = options.logFile ?? join(options.dataDir, 'suite.log');
    return LaunchedSuite.start(LaunchedSuite.envFor(options), logFile, options.services);
  }

  static async start(env: NodeJS.ProcessEnv, logFile: string, services?: readonly string[]) {
    mkdirSync(dirname(logFile), { recursive: true });
    writeFileSync(logFile, '');
    const args = ['--import', 'tsx', 'scripts/start.ts', '--no-build', '--raw-logs'];
    const suite = new LaunchedSuite(
      services ? [...args, '--services', services.join(',')] : args,
      env,
      logFile,
    );
    const up = async () => {
      suite.remember();
      return suite.output.includes('TradeCore is running');
    };
    try {
      await untilUp(`the suite (log in ${logFile})`, suite.launcher, up, {
        timeoutMs: UP_WITHIN_MS,
        output: () => suite.output,
      });
    } catch (error) {
      await suite.stop();
      throw error;
    }
    suite.remember();
    return suite;
  }

  /** Ctrl-C, then waits until every process it started is gone; a straggler is killed and reported. */
  async stop(): Promise<{ exitCode: number | null }> {
    if (!exited(this.launcher)) {
      this.remember();
      const gone = new Promise((resolve) => this.launcher.once('exit', resolve));
      this.launcher.kill('SIGINT');
      const patience = setTimeout(() => this.launcher.kill('SIGKILL'), STOPPED_WITHIN_MS);
      await gone;
      clearTimeout(patience);
    }
    // A helper (e.g. tsx's esbuild service) may take a moment to exit after its parent.
    await eventually(() => ![...this.processes].some(alive), 10_000).catch(() => undefined);
    const left = [...this.processes].filter(alive);
    left.forEach((pid) => alive(pid) && process.kill(pid, 'SIGKILL'));
    if (left.length) throw new Error(`processes left running after the launcher stopped: ${left.join(', ')}`);
    return { exitCode: this.launcher.exitCode };
  }

  private remember(): void {
    for (const pid of [this.launcher.pid!, ...descendantsOf(this.launcher.pid!)]) this.processes.add(pid);
  }
}
