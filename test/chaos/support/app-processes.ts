import { type ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopEach } from '../../support/child-processes';

const ROOT = join(__dirname, '../../..');

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

/** The compiled apps as child processes: their environment, output, logs, readiness and kills. */
export class AppProcesses {
  private readonly processes = new Map<App, ChildProcess>();
  private readonly replicas: ChildProcess[] = [];
  readonly output = new Map<string, string[]>();
  /** Variables an app gets on its next spawn over everything else (e.g. a DATABASE_URL through a proxy). */
  readonly overrides = new Map<App, Record<string, string>>();
  /** Each app's output across restarts, kept after the run (the path is printed at the start). */
  readonly logDir = mkdtempSync(join(tmpdir(), 'tradecore-chaos-logs-'));
  protected env: Record<string, string> = {};
  protected perApp: Partial<Record<App, Record<string, string>>> = {};
  readonly roleUrls = new Map<string, string>();

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

  protected stopProcesses(): Promise<void> {
    return stopEach([...this.replicas, ...this.processes.values()]);
  }
}
