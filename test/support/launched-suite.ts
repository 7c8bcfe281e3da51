import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

const ROOT = join(__dirname, '../..');

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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `npm start` as a person runs it (the compiled apps, so build first), on the ports and stores
 * `env` names; `--services` starts a subset. Its output goes to `logFile`.
 */
export class LaunchedSuite {
  private readonly processes = new Set<number>();
  private output = '';

  private constructor(private readonly launcher: ChildProcess) {}

  /** The last 20,000 characters the launcher wrote. */
  get recentOutput(): string {
    return this.output;
  }

  /** The launcher and every process it started, seen so far. */
  get processCount(): number {
    this.remember();
    return this.processes.size;
  }

  /**
   * The whole suite on its own ports, Redis database and a database dropped first, its broker's
   * data and the log under `dataDir`: what a test that runs `npm start` as a user needs.
   */
  static async fresh(options: {
    readonly database: string;
    readonly gatewayPort: number;
    readonly brokerPort: number;
    readonly redisDb: number;
    readonly dataDir: string;
  }): Promise<LaunchedSuite> {
    const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${options.database} WITH (FORCE)`);
    await admin.end();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GATEWAY_PORT: String(options.gatewayPort),
      DEV_BROKER_PORT: String(options.brokerPort),
      DEV_BROKER_DATA_DIR: join(options.dataDir, 'kafka'),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${options.database}`,
      REDIS_URL: `redis://127.0.0.1:6379/${options.redisDb}`,
    };
    delete env.KAFKA_BROKERS;
    return LaunchedSuite.start(env, join(options.dataDir, 'suite.log'));
  }

  static async start(env: NodeJS.ProcessEnv, logFile: string, services?: readonly string[]) {
    mkdirSync(dirname(logFile), { recursive: true });
    const log = createWriteStream(logFile);
    const args = ['--import', 'tsx', 'scripts/start.ts', '--no-build', '--raw-logs'];
    const launcher = spawn(process.execPath, services ? [...args, '--services', services.join(',')] : args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.once('close', () => log.end());
    const suite = new LaunchedSuite(launcher);
    for (const stream of [launcher.stdout!, launcher.stderr!]) {
      stream.pipe(log, { end: false });
      stream.on('data', (chunk: Buffer) => (suite.output = (suite.output + chunk.toString()).slice(-20_000)));
    }
    const deadline = Date.now() + UP_WITHIN_MS;
    while (!suite.output.includes('TradeCore is running')) {
      suite.remember();
      if (launcher.exitCode !== null || Date.now() > deadline) {
        await suite.stop();
        throw new Error(`the suite did not come up (see ${logFile}):\n${suite.output.slice(-3000)}`);
      }
      await pause(250);
    }
    suite.remember();
    return suite;
  }

  /** Ctrl-C, then waits until every process it started is gone; a straggler is killed and reported. */
  async stop(): Promise<{ exitCode: number | null }> {
    if (this.launcher.exitCode === null && this.launcher.signalCode === null) {
      this.remember();
      const exited = new Promise((resolve) => this.launcher.once('exit', resolve));
      this.launcher.kill('SIGINT');
      const patience = setTimeout(() => this.launcher.kill('SIGKILL'), STOPPED_WITHIN_MS);
      await exited;
      clearTimeout(patience);
    }
    // A helper (e.g. tsx's esbuild service) may take a moment to exit after its parent.
    for (let tries = 0; tries < 100 && [...this.processes].some(alive); tries++) await pause(100);
    const left = [...this.processes].filter(alive);
    left.forEach((pid) => alive(pid) && process.kill(pid, 'SIGKILL'));
    if (left.length) throw new Error(`processes left running after the launcher stopped: ${left.join(', ')}`);
    return { exitCode: this.launcher.exitCode };
  }

  private remember(): void {
    for (const pid of [this.launcher.pid!, ...descendantsOf(this.launcher.pid!)]) this.processes.add(pid);
  }
}
