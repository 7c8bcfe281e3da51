import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), min: sorted[0], max: sorted[sorted.length - 1] };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** Runs `count` jobs with at most `concurrency` in flight; returns jobs per second. */
export async function throughput(
  count: number,
  concurrency: number,
  job: (index: number, worker: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let index = next++; index < count; index = next++) await job(index, worker);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export async function waitUntil(condition: () => Promise<boolean> | boolean, intervalMs = 2): Promise<void> {
  while (!(await condition())) await sleep(intervalMs);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** The dev broker in its own process, as services see it in `npm start`, so it does not share this event loop. */
export async function spawnDevBroker(
  partitions: number,
): Promise<{ brokers: string[]; stop(): Promise<void> }> {
  const port = await freePort();
  const cli = resolve(__dirname, '../../dev-broker/src/cli.ts');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--port', String(port), '--partitions', String(partitions)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`dev broker exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) ready();
    });
  });
  return {
    brokers: [`localhost:${port}`],
    stop: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, index) => cell.padEnd(widths[index])).join('  ');
}
