import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { Envelope } from '../envelope/envelope';
import type { InlineProjector } from '../event-store/event-store.types';
import { quoteIdent } from '../migrations/sql-identifiers';
import { clientOfRunner } from '../postgres/pg-connection';
import { StatementBatch } from '../postgres/statement-batch';
import type { StoreProjection } from './projection-registration';

/** Another replica (or the CLI) holds this projection's rebuild lock. */
export class RebuildInProgressError extends Error {
  readonly code = 'REBUILD_IN_PROGRESS';
  constructor(readonly projection: string) {
    super(`projection ${projection} is being rebuilt already; wait for that rebuild to finish`);
  }
}

export const SCRATCH_SCHEMA = 'pg_temp';

/** Events whose statements a batchable projection sends in one round trip. */
const BATCH_EVENTS = 5000;

/**
 * One database session a rebuild or a drift check replays into: the projection's tables are
 * re-created empty as temporary tables (same columns, defaults and indexes), and the projector
 * runs with `pg_temp` as its schema, so the live tables are never written. A service role may
 * not create schemas, but every role may create temporary tables.
 */
export class ScratchSession {
  private constructor(
    private readonly source: DataSource,
    readonly runner: QueryRunner,
    readonly schema: string,
    readonly projection: StoreProjection,
    private readonly project: InlineProjector,
  ) {}

  static async open(live: DataSource, schema: string, projection: StoreProjection): Promise<ScratchSession> {
    const source = new DataSource({
      ...(live.options as PostgresConnectionOptions),
      name: `scratch-${projection.name}`,
      schema: SCRATCH_SCHEMA,
      entities: [...(projection.entities ?? [])],
      migrations: [],
      migrationsRun: false,
      synchronize: false,
      subscribers: [],
      poolSize: 1,
    });
    await source.initialize();
    const runner = source.createQueryRunner();
    try {
      await runner.connect();
      // The session writes temporary tables only, which keep no WAL: nothing for its commits to wait for.
      // The swap, which writes the service's tables, turns it back on for its transaction.
      await runner.query('SET synchronous_commit = off');
    } catch (error) {
      await source.destroy();
      throw error;
    }
    return new ScratchSession(source, runner, schema, projection, projection.projector(SCRATCH_SCHEMA));
  }

  get manager(): EntityManager {
    return this.runner.manager;
  }

  /** One rebuild per projection across replicas: a session-level advisory lock, gone with the session. */
  async lockRebuild(): Promise<void> {
    const [{ locked }] = await this.runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      `projection-rebuild:${this.schema}.${this.projection.name}`,
    ]);
    if (!locked) throw new RebuildInProgressError(this.projection.name);
  }

  liveTable(table: string): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(table)}`;
  }

  /** Empty copies of the projection's tables (and of those it only touches), dropped with the session or transaction. */
  async createScratchTables(onCommitDrop = false): Promise<void> {
    const names = [...this.projection.tables.map((table) => table.name), ...(this.projection.touches ?? [])];
    for (const name of names)
      await this.runner.query(
        `CREATE TEMPORARY TABLE ${quoteIdent(name)} (LIKE ${this.liveTable(name)} INCLUDING ALL)${
          onCommitDrop ? ' ON COMMIT DROP' : ''
        }`,
      );
  }

  /**
   * Projects in the session's open transaction, or in one of its own when none is open. A batchable
   * projection's statements go BATCH_EVENTS events at a time, each lot in one round trip.
   */
  async projectAll(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    const { batchable } = this.projection;
    // One lot needs no transaction of its own: PostgreSQL runs a query string as one.
    if (batchable && envelopes.length <= BATCH_EVENTS) return this.projectLot(envelopes);
    const own = !this.runner.isTransactionActive;
    if (own) await this.runner.startTransaction();
    try {
      if (batchable)
        for (let from = 0; from < envelopes.length; from += BATCH_EVENTS)
          await this.projectLot(envelopes.slice(from, from + BATCH_EVENTS));
      else for (const envelope of envelopes) await this.project(envelope, this.manager);
      if (own) await this.runner.commitTransaction();
    } catch (error) {
      if (own) await this.runner.rollbackTransaction();
      throw error;
    }
  }

  private async projectLot(envelopes: readonly Envelope[]): Promise<void> {
    const batch = new StatementBatch();
    const manager = batch.manager(this.manager);
    for (const envelope of envelopes) await this.project(envelope, manager);
    await batch.flush(clientOfRunner(this.runner));
  }

  async close(): Promise<void> {
    await this.runner.release().catch(() => undefined);
    await this.source.destroy().catch(() => undefined);
  }
}
