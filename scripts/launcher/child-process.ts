import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLOURS = [36, 35, 33, 32, 34, 91, 96];
const LOUD = new Set(['warn', 'error', 'fatal']);

/** One app as a child process whose JSON log lines are shown compactly behind a coloured name. */
export function startApp(
  name: string,
  index: number,
  script: string,
  env: NodeJS.ProcessEnv,
  rawLogs: boolean,
): ChildProcess {
  // e.g. APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=.data/profiles" to profile the apps under load.
  const extra = process.env.APP_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, ['--enable-source-maps', ...extra, script], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\u001b[${COLOURS[index % COLOURS.length]}m${name.padEnd(18)}\u001b[0m|`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) =>
      console.log(`${prefix} ${rawLogs ? line : compact(line)}`),
    );
  }
  return child;
}

function compact(line: string): string {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const ids = ['correlationId', 'sagaId', 'messageId']
      .filter((key) => entry[key])
      .map((key) => `${key}=${String(entry[key]).slice(0, 13)}`);
    const level = String(entry.level);
    const error = (entry.err as { message?: string } | undefined)?.message;
    const request = entry.req as { method?: string; url?: string } | undefined;
    const status = (entry.res as { statusCode?: number } | undefined)?.statusCode;
    const text = request
      ? `${request.method} ${request.url} ${status ?? ''} ${entry.responseTime ?? ''}ms`
      : entry.message;
    return [LOUD.has(level) ? level.toUpperCase() : level, text, error, ...ids].filter(Boolean).join(' ');
  } catch {
    return line;
  }
}

/** Asks every child to stop (SIGTERM lets services drain their outbox) and waits, killing stragglers. */
export async function stopAll(children: readonly ChildProcess[], graceMs = 15_000): Promise<void> {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  const exited = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
  running.forEach((child) => child.kill('SIGTERM'));
  const timer = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), graceMs);
  await Promise.all(exited);
  clearTimeout(timer);
}
