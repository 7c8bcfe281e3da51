import type { DataSource } from 'typeorm';
import { quoteIdent } from '../migrations/sql-identifiers';
import type { TableChecksum } from './shadow-tables';

export type RebuildPhase = 'replaying' | 'swapping' | 'swapped' | 'failed';

export interface RebuildRun {
  readonly id: string;
  readonly projection: string;
  readonly phase: RebuildPhase;
  readonly eventsTotal: number;
  readonly eventsDone: number;
  readonly eventsPerSecond: number | null;
  readonly etaSeconds: number | null;
  readonly tables: readonly TableChecksum[] | null;
  readonly error: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

interface RunRow {
  id: string;
  projection: string;
  phase: RebuildPhase;
  events_total: string;
  events_done: string;
  events_per_second: string | null;
  eta_seconds: string | null;
  tables: TableChecksum[] | null;
  error: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const numberOrNull = (value: string | null) => (value === null ? null : Number(value));

const runOf = (row: RunRow): RebuildRun => ({
  id: row.id,
  projection: row.projection,
  phase: row.phase,
  eventsTotal: Number(row.events_total),
  eventsDone: Number(row.events_done),
  eventsPerSecond: numberOrNull(row.events_per_second),
  etaSeconds: numberOrNull(row.eta_seconds),
  tables: row.tables,
  error: row.error,
  startedAt: row.started_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
});

/** The record of each rebuild in `<schema>.projection_rebuilds`: phase, progress, rate and ETA. */
export class RebuildRuns {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.projection_rebuilds`;
  }

  async start(projection: string, eventsTotal: number): Promise<string> {
    const [row] = await this.dataSource.query(
      `INSERT INTO ${this.table} (projection, phase, events_total) VALUES ($1, 'replaying', $2) RETURNING id`,
      [projection, eventsTotal],
    );
    return String(row.id);
  }

  async progress(id: string, phase: RebuildPhase, eventsDone: number, elapsedMs: number): Promise<void> {
    const rate = elapsedMs > 0 ? (eventsDone * 1000) / elapsedMs : null;
    await this.dataSource.query(
      `UPDATE ${this.table} SET phase = $2, events_done = $3, events_per_second = round($4::numeric),
         eta_seconds = CASE WHEN $4::numeric > 0 THEN round(greatest(events_total - $3, 0) / $4::numeric, 1) END,
         events_total = greatest(events_total, $3), updated_at = now()
       WHERE id = $1`,
      [id, phase, eventsDone, rate],
    );
  }

  async finish(id: string, tables: readonly TableChecksum[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.table} SET phase = 'swapped', tables = $2, eta_seconds = 0, updated_at = now(), finished_at = now()
       WHERE id = $1`,
      [id, JSON.stringify(tables)],
    );
  }

  async fail(id: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.dataSource.query(
      `UPDATE ${this.table} SET phase = 'failed', error = $2, updated_at = now(), finished_at = now() WHERE id = $1`,
      [id, message],
    );
  }

  async recent(limit = 20): Promise<RebuildRun[]> {
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT * FROM ${this.table} ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(runOf);
  }

  async get(id: string): Promise<RebuildRun | undefined> {
    const rows: RunRow[] = await this.dataSource.query(`SELECT * FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0] && runOf(rows[0]);
  }
}
