import type { EntityManager } from 'typeorm';
import type { EventStore } from '../event-store/event-store';
import { quoteIdent } from '../migrations/sql-identifiers';
import type { StoreProjection } from './projection-registration';
import { SCRATCH_SCHEMA, ScratchSession } from './rebuild-session';
import { rowsOffTheirStreamVersion, streamOfRow } from './shadow-tables';

export interface ProjectionDrift {
  readonly projection: string;
  readonly checkedAt: string;
  /** Rows whose stream version differs from the store's, over every stream. */
  readonly rowsOffVersion: number;
  readonly sampledStreams: number;
  /** Rows of the sampled streams that the live tables and a replay of those streams disagree on. */
  readonly rowsDiffering: number;
  /** A few of the sampled streams that differ, to rebuild or look into. */
  readonly differingStreams: readonly string[];
  readonly drifted: boolean;
}

/**
 * The sampled streams and every other stream that writes their rows (`alsoWrittenBy`, as the live
 * rows name it): a signal's row is inserted by the signal's stream and updated by its automation's.
 */
async function streamsWriting(
  session: Pick<EntityManager, 'query'>,
  schema: string,
  projection: StoreProjection,
  streams: readonly string[],
): Promise<string[]> {
  const writers = new Set(streams);
  for (const table of projection.tables) {
    if (!table.alsoWrittenBy) continue;
    const rows: { writer: string | null }[] = await session.query(
      `SELECT DISTINCT (${table.alsoWrittenBy.replaceAll('{schema}', quoteIdent(schema))}) AS writer FROM ${quoteIdent(schema)}.${quoteIdent(table.name)}
       WHERE (${streamOfRow(table, schema)}) = ANY($1)`,
      [streams],
    );
    for (const { writer } of rows) if (writer !== null) writers.add(writer);
  }
  return [...writers];
}

/**
 * Compares a projection with its event store: every row's stream version against the stream's
 * last version, and the rows of a random sample of streams against a replay into scratch tables
 * of those streams and of the streams that also write their rows, their events interleaved in
 * store order as they were first projected; all in one snapshot, so appends in flight cause no
 * false alarm.
 */
export async function checkProjectionDrift(
  store: EventStore,
  projection: StoreProjection,
  sampleSize = 100,
): Promise<ProjectionDrift> {
  const session = await ScratchSession.open(store.dataSource, store.schema, projection);
  const { runner } = session;
  try {
    await runner.startTransaction('REPEATABLE READ');
    try {
      let rowsOffVersion = 0;
      for (const table of projection.tables)
        rowsOffVersion += await rowsOffTheirStreamVersion(
          runner,
          store.schema,
          store.schema,
          table,
          projection.streamTypes,
        );
      const sampled: { stream_id: string }[] = await runner.query(
        `SELECT stream_id FROM (SELECT DISTINCT stream_id FROM ${quoteIdent(store.schema)}.events
           WHERE stream_type = ANY($1)) streams ORDER BY random() LIMIT $2`,
        [projection.streamTypes, sampleSize],
      );
      const streams = sampled.map((row) => row.stream_id);
      const replayed = await streamsWriting(runner, store.schema, projection, streams);
      await session.createScratchTables(true);
      await session.projectAll(await store.readStreams(replayed, projection.streamTypes, session.manager));
      const differing = new Set<string>();
      let rowsDiffering = 0;
      for (const table of projection.tables) {
        const rows = (schema: string) =>
          `SELECT (${streamOfRow(table, schema)}) AS stream_id, ${quoteIdent(table.name)}::text AS row
           FROM ${quoteIdent(schema)}.${quoteIdent(table.name)} WHERE (${streamOfRow(table, schema)}) = ANY($1)`;
        const diff: { stream_id: string }[] = await runner.query(
          `(${rows(store.schema)} EXCEPT ALL ${rows(SCRATCH_SCHEMA)})
           UNION ALL (${rows(SCRATCH_SCHEMA)} EXCEPT ALL ${rows(store.schema)})`,
          [streams],
        );
        rowsDiffering += diff.length;
        for (const row of diff) differing.add(row.stream_id);
      }
      return {
        projection: projection.name,
        checkedAt: new Date().toISOString(),
        rowsOffVersion,
        sampledStreams: streams.length,
        rowsDiffering,
        differingStreams: [...differing].slice(0, 10),
        drifted: rowsOffVersion > 0 || rowsDiffering > 0,
      };
    } finally {
      await runner.rollbackTransaction();
    }
  } finally {
    await session.close();
  }
}
