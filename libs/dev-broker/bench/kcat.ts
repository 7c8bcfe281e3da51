import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** librdkafka's command-line client from Debian, when installed: `kcat` or its old name `kafkacat`. */
export function findKcat(): string | undefined {
  for (const name of ['kcat', 'kafkacat']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      continue;
    }
  }
  return undefined;
}

/** `count` lines of `size` bytes each, the file kcat produces from (one message per line). */
export async function writeMessageFile(file: string, count: number, size: number): Promise<void> {
  const line = Buffer.concat([Buffer.alloc(size, 'x'), Buffer.from('\n')]);
  const chunk = Buffer.concat(Array.from({ length: 1000 }, () => line));
  const stream = createWriteStream(file);
  for (let written = 0; written < count; written += 1000) {
    if (!stream.write(count - written >= 1000 ? chunk : chunk.subarray(0, (count - written) * line.length)))
      await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => stream.end(() => resolve()));
}

/** Wall-clock milliseconds kcat takes to produce every line of `file` with acks=all. */
export function kcatProduce(kcat: string, brokers: string, topic: string, file: string): Promise<number> {
  return timed(kcat, ['-P', '-b', brokers, '-t', topic, '-l', '-X', 'acks=all', file]);
}

/** Wall-clock milliseconds kcat takes to consume `count` messages from the beginning to the end. */
export function kcatConsume(kcat: string, brokers: string, topic: string, count: number): Promise<number> {
  return timed(kcat, ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-c', String(count)]);
}

function timed(command: string, args: readonly string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${command} ${args[0]} exited ${code}`)),
    );
  });
}
