import type { DataSource } from 'typeorm';
import { LoopHeartbeat } from '../health/loop-heartbeats';
import { settlesWithin } from '../health/with-timeout';

/** One table kept to a bounded age. */
export interface PruneRule {
  /** Names the table in logs, e.g. `inbox`. */
  readonly table: string;
  /** Rows older than this many days that nothing needs any more go; 0 keeps the table whole. */
  readonly afterDays: number;
  /**
   * Deletes at most $2 such rows, $1 being `afterDays`. One short statement per batch, so no lock
   * is held for long and a pass can stop between batches.
   */
  readonly deleteBatch: string;
}

export interface TablePrunerOptions {
  readonly dataSource: DataSource;
  readonly rules: readonly PruneRule[];
  readonly intervalMs: number;
  readonly batchSize: number;
  /** Only one replica prunes: the one that holds the outbox relay's lock. */
  readonly isLeader: () => boolean;
  /** Marks each batch, so liveness sees a delete that never ends. */
  readonly heartbeat?: LoopHeartbeat;
  readonly onError?: (error: unknown) => void;
  readonly onPruned?: (table: string, rows: number) => void;
  /** Longest stop() waits for the batch in flight. */
  readonly stopTimeoutMs?: number;
}

/**
 * Deletes rows past their age from the operational tables (inbox, dead letters already handled,
 * traces...) on a schedule. A failed pass (PostgreSQL away) is reported and the next one comes on
 * time; deleting what is old is idempotent, so a pass cut short loses nothing.
 */
export class TablePruner {
  private readonly heartbeat: LoopHeartbeat;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private running = false;
  private stopping = false;

  constructor(private readonly options: TablePrunerOptions) {
    this.heartbeat = options.heartbeat ?? new LoopHeartbeat('table-pruner');
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.schedule();
  }

  /** Lets the batch in flight finish, within bounds; the rest of the pass is left to the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    clearTimeout(this.timer);
    await settlesWithin(this.pass, this.options.stopTimeoutMs ?? 10_000);
  }

  // Nest calls this on the provider; EventingRuntime starts it where PROCESS_ROLE runs workers.
  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  /** Prunes every table once, batch after batch, and says how many rows went from each. */
  async pruneOnce(): Promise<Record<string, number>> {
    const pruned: Record<string, number> = {};
    for (const rule of this.options.rules) {
      if (rule.afterDays <= 0) continue;
      pruned[rule.table] = 0;
      for (;;) {
        const rows = await this.heartbeat.around(() => this.deleteBatch(rule));
        pruned[rule.table] += rows;
        if (rows < this.options.batchSize || this.stopping) break;
      }
      if (pruned[rule.table] > 0) this.options.onPruned?.(rule.table, pruned[rule.table]);
    }
    return pruned;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.pass = this.tick().finally(() => {
        this.pass = undefined;
        if (this.running) this.schedule();
      });
    }, this.options.intervalMs);
  }

  private async tick(): Promise<void> {
    if (!this.options.isLeader()) return;
    try {
      await this.pruneOnce();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private async deleteBatch(rule: PruneRule): Promise<number> {
    const rows: { deleted: number }[] = await this.options.dataSource.query(
      `WITH gone AS (${rule.deleteBatch} RETURNING 1) SELECT count(*)::int AS deleted FROM gone`,
      [rule.afterDays, this.options.batchSize],
    );
    return rows[0].deleted;
  }
}

/**
 * A batch delete of `table`'s rows matching `where` ($1 days, e.g. `handled_at < now() - make_interval(days => $1::int)`).
 * By ctid through ARRAY(...), so PostgreSQL fetches the chosen rows directly; a row changed meanwhile
 * has a new ctid and is left alone.
 */
export function deleteOlderRows(table: string, where: string): string {
  return `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT $2))`;
}
