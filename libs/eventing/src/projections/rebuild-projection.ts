import { performance } from 'node:perf_hooks';
import type { EventStore } from '../event-store/event-store';
import { quoteIdent } from '../migrations/sql-identifiers';
import type { StoreProjection } from './projection-registration';
import { ReplayCursor } from './replay-cursor';
import { RebuildRuns } from './rebuild-runs';
import { SCRATCH_SCHEMA, ScratchSession } from './rebuild-session';
import { rowsOffTheirStreamVersion, swapInRebuiltTables, type TableChecksum } from './shadow-tables';

export interface RebuildOptions {
  readonly store: EventStore;
  readonly projection: StoreProjection;
  /** Events read and projected per transaction (5,000 for a batchable projection, else 2,000). */
  readonly batchSize?: number;
  /** How long a skipped position is waited for before it counts as a rolled-back append. */
  readonly gapSettleMs?: number;
  /** Called once the run is recorded, before the replay starts (the ops API answers with its id). */
  readonly onStarted?: (runId: string) => void;
}

export interface RebuildResult {
  readonly runId: string;
  readonly events: number;
  readonly tables: readonly TableChecksum[];
  readonly durationMs: number;
  readonly eventsPerSecond: number;
  /** How long appends that project into these tables waited for the final catch-up and the swap. */
  readonly writesPausedMs: number;
}

const PROGRESS_EVERY_MS = 1000;
const SWAP_ATTEMPTS = 3;
const DEADLOCK = '40P01';

/**
 * Rebuilds a projection from the service's event store while its live tables keep serving:
 * replays every event into scratch tables, catches up with what was appended meanwhile, then,
 * with the live tables locked against writes (reads go on), projects the last events, checks
 * every row's stream version against the store, copies the rows into `<table>__rebuild` and
 * renames it in, all in one transaction. Any failure rolls that back: the live tables stay as
 * they were. One rebuild per projection at a time, across replicas.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { store, projection } = options;
  const batchSize = options.batchSize ?? (projection.batchable ? 5000 : 2000);
  const runs = new RebuildRuns(store.dataSource, store.schema);
  const session = await ScratchSession.open(store.dataSource, store.schema, projection);
  try {
    await session.lockRebuild();
    const [{ total }] = await store.dataSource.query(
      `SELECT count(*)::bigint AS total FROM ${quoteIdent(store.schema)}.events WHERE stream_type = ANY($1)`,
      [projection.streamTypes],
    );
    const runId = await runs.start(projection.name, Number(total));
    options.onStarted?.(runId);
    const started = performance.now();
    let events = 0;
    try {
      await session.createScratchTables();
      const cursor = new ReplayCursor(store, projection.streamTypes, options.gapSettleMs);
      let reported = started;
      events = await replayToEnd(session, cursor, batchSize, async (done) => {
        if (performance.now() - reported < PROGRESS_EVERY_MS) return;
        reported = performance.now();
        await runs.progress(runId, 'replaying', done, reported - started);
      });
      await runs.progress(runId, 'swapping', events, performance.now() - started);
      const swapStarted = performance.now();
      const swap = await swapWithRetries(session, cursor, batchSize);
      events += swap.events;
      const durationMs = performance.now() - started;
      await runs.finish(runId, swap.tables);
      return {
        runId,
        events,
        tables: swap.tables,
        durationMs,
        eventsPerSecond: Math.round((events * 1000) / durationMs),
        writesPausedMs: Math.round(performance.now() - swapStarted),
      };
    } catch (error) {
      await runs.fail(runId, error).catch(() => undefined);
      throw error;
    }
  } finally {
    await session.close();
  }
}

/**
 * Projects page after page until the store has nothing more; returns how many events it projected.
 * The next page is read while this one is projected (the store's pool, another connection): the
 * cursor moves on before the page is projected for good, which is safe because a failure here ends
 * the rebuild, and the swap puts the cursor back to its own checkpoint.
 */
async function replayToEnd(
  session: ScratchSession,
  cursor: ReplayCursor,
  batchSize: number,
  afterPage?: (eventsSoFar: number) => Promise<void>,
): Promise<number> {
  let events = 0;
  let page = await cursor.read(batchSize);
  while (page.scanned > 0) {
    page.advance();
    const next = cursor.read(batchSize);
    try {
      await session.projectAll(page.events.map((event) => event.envelope));
      events += page.events.length;
      await afterPage?.(events);
    } catch (error) {
      await next.catch(() => undefined);
      throw error;
    }
    page = await next;
  }
  return events;
}

async function swapWithRetries(session: ScratchSession, cursor: ReplayCursor, batchSize: number) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await swap(session, cursor, batchSize);
    } catch (error) {
      // Locking every table of the projection can cross an append locking them in another order.
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= SWAP_ATTEMPTS) throw error;
    }
  }
}

async function swap(session: ScratchSession, cursor: ReplayCursor, batchSize: number) {
  const { runner, projection, schema } = session;
  const restoreCursor = cursor.checkpoint();
  await runner.startTransaction();
  try {
    // The swap writes the service's own tables: its commit is durable like any other.
    await runner.query('SET LOCAL synchronous_commit = on');
    const live = projection.tables.map((table) => session.liveTable(table.name)).join(', ');
    // EXCLUSIVE waits for the appends writing these tables to commit and holds back new ones; reads go on.
    await runner.query(`LOCK TABLE ${live} IN EXCLUSIVE MODE`);
    const events = await replayToEnd(session, cursor, batchSize);
    for (const table of projection.tables) {
      const off = await rowsOffTheirStreamVersion(
        runner,
        schema,
        SCRATCH_SCHEMA,
        table,
        projection.streamTypes,
      );
      if (off > 0)
        throw new Error(
          `${off} rebuilt rows of ${table.name} disagree with their stream's version in the store`,
        );
    }
    const tables = await swapInRebuiltTables(runner, schema, projection);
    await runner.commitTransaction();
    return { events, tables };
  } catch (error) {
    await runner.rollbackTransaction();
    restoreCursor();
    throw error;
  }
}
