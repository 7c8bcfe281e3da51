import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/**
 * CPU seconds used so far by each process of the suite: an app by name, the launcher with its dev
 * broker, and each PostgreSQL backend as `postgresql#<pid>` (backends come and go with the pools,
 * so they are told apart; see CpuMeter).
 */
export type CpuSnapshot = Record<string, number>;

/** The part of the suite a snapshot key belongs to: `postgresql#123` → `postgresql`. */
export const partOf = (key: string): string => key.split('#')[0];

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function appNameOf(pid: number): string | undefined {
  try {
    return /apps\/([a-z-]+)\//.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The PostgreSQL backends connected to the suite's database, asked on one session kept open for
 * the whole bench: a connection per sample (two a second) forked a backend each time, whose start
 * cost the machine ~15 ms of CPU under load, inside the runs being measured.
 */
export class SuiteBackends {
  private client?: Promise<Client>;

  constructor(private readonly databaseUrl: string) {}

  async pids(): Promise<number[]> {
    this.client ??= (async () => {
      const client = new Client({ connectionString: this.databaseUrl });
      await client.connect();
      return client;
    })();
    const { rows } = await (
      await this.client
    ).query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.map((row) => row.pid);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await (await client)?.end();
  }
}

/**
 * Reads the CPU time of every process of the suite started as `launcherPid` (apps are its
 * children; the embedded dev broker is the launcher itself) and of the PostgreSQL backends
 * connected to the suite's database. Sampled before and after a run, the difference divided by
 * the operations done is the CPU each operation costs, wherever it is spent.
 */
export async function cpuSnapshot(launcherPid: number, backends: SuiteBackends): Promise<CpuSnapshot> {
  const snapshot: CpuSnapshot = { 'launcher + dev broker': cpuSecondsOf(launcherPid) };
  const queue = childrenOf(launcherPid);
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const name = appNameOf(pid);
    if (name) snapshot[name] = (snapshot[name] ?? 0) + cpuSecondsOf(pid);
    queue.push(...childrenOf(pid));
  }
  for (const pid of await backends.pids()) snapshot[`postgresql#${pid}`] = cpuSecondsOf(pid);
  return snapshot;
}
