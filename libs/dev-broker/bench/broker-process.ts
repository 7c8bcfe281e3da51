import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../src/cli.ts');
const CLOCK_TICKS_PER_SECOND = 100;

/** The broker in a process of its own, so clients in the bench never share its event loop or core. */
export interface BrokerProcess {
  readonly brokers: readonly string[];
  /** CPU seconds (user + system) the broker has used so far, from /proc. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * `BENCH_BROKER_NODE_ARGS` adds Node flags to the broker's process, e.g. to profile it:
 * `BENCH_BROKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:broker`.
 */
export async function startBrokerProcess(dataDir: string): Promise<BrokerProcess> {
  const nodeArgs = (process.env.BENCH_BROKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', CLI, '--port', '0', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const brokers = await new Promise<string[]>((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`dev-broker exited with ${code}: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(match[1].split(','));
    });
  });
  child.removeAllListeners('exit');
  return { brokers, cpuSeconds: () => cpuSecondsOf(child), stop: () => stop(child) };
}

function cpuSecondsOf(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
