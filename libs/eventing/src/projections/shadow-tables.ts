import type { EntityManager } from 'typeorm';
import { quoteIdent } from '../migrations/sql-identifiers';
import type { ProjectedTable, StoreProjection } from './projection-registration';
import { SCRATCH_SCHEMA } from './rebuild-session';

type Session = Pick<EntityManager, 'query'>;

export interface TableChecksum {
  readonly table: string;
  readonly rows: number;
  /** Sum of the rows' 64-bit hashes: independent of row order, equal for equal contents. */
  readonly checksum: string;
}

const qualified = (schema: string, table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;
export const SHADOW_SUFFIX = '__rebuild';
const RETIRED_SUFFIX = '__retired';

export async function checksumOf(session: Session, schema: string, table: string): Promise<TableChecksum> {
  const name = quoteIdent(table);
  const [row] = await session.query(
    `SELECT count(*)::int AS rows, coalesce(sum(hashtextextended(${name}::text, 0)), 0)::text AS checksum
     FROM ${qualified(schema, table)} ${name}`,
  );
  return { table, rows: row.rows, checksum: row.checksum };
}

/** The stream a row belongs to, as SQL over a table living in `schema`. */
export const streamOfRow = (table: ProjectedTable, schema: string) =>
  table.streamOf.replaceAll('{schema}', quoteIdent(schema));

/**
 * Rows whose stream version differs from the stream's last version in the store: a projection
 * that missed an event, saw one twice, or was edited by hand. Zero for tables keeping no version.
 */
export async function rowsOffTheirStreamVersion(
  session: Session,
  eventsSchema: string,
  rowsSchema: string,
  table: ProjectedTable,
  streamTypes: readonly string[],
): Promise<number> {
  if (!table.versionColumn) return 0;
  const name = quoteIdent(table.name);
  const [row] = await session.query(
    `SELECT count(*)::int AS n FROM ${qualified(rowsSchema, table.name)} ${name}
     LEFT JOIN (SELECT stream_id AS stored_stream, max(version) AS stored_version
                FROM ${qualified(eventsSchema, 'events')} WHERE stream_type = ANY($1) GROUP BY stream_id) stored
       ON stored.stored_stream = (${streamOfRow(table, rowsSchema)})
     WHERE stored.stored_version IS DISTINCT FROM ${name}.${quoteIdent(table.versionColumn)}`,
    [streamTypes],
  );
  return row.n;
}

async function indexesOf(session: Session, schema: string, table: string) {
  const rows: { indexname: string; indexdef: string }[] = await session.query(
    'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname',
    [schema, table],
  );
  // What the index is, without its name or its table's: `UNIQUE USING btree (account_id)`.
  return rows.map((row) => ({
    name: row.indexname,
    shape: row.indexdef.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ /, '$1'),
  }));
}

/**
 * Copies the rebuilt rows into `<table>__rebuild` in the service's schema, checks each copy's
 * checksum against the rebuilt rows, and swaps it in by renaming, inside the caller's transaction:
 * readers see the old table or the new one, never a mix. Index names are carried over, so the
 * migrations that name them keep working.
 */
export async function swapInRebuiltTables(
  session: Session,
  schema: string,
  projection: StoreProjection,
): Promise<TableChecksum[]> {
  const checksums: TableChecksum[] = [];
  for (const { name } of projection.tables) {
    const live = qualified(schema, name);
    const shadow = qualified(schema, name + SHADOW_SUFFIX);
    await session.query(`DROP TABLE IF EXISTS ${shadow}`);
    await session.query(`CREATE TABLE ${shadow} (LIKE ${live} INCLUDING ALL)`);
    const [{ owner, me }] = await session.query(
      'SELECT tableowner AS owner, current_user AS me FROM pg_tables WHERE schemaname = $1 AND tablename = $2',
      [schema, name],
    );
    if (owner !== me) await session.query(`ALTER TABLE ${shadow} OWNER TO ${quoteIdent(owner)}`);
    await session.query(`INSERT INTO ${shadow} SELECT * FROM ${qualified(SCRATCH_SCHEMA, name)}`);
    const rebuilt = await checksumOf(session, SCRATCH_SCHEMA, name);
    const copied = await checksumOf(session, schema, name + SHADOW_SUFFIX);
    if (copied.rows !== rebuilt.rows || copied.checksum !== rebuilt.checksum)
      throw new Error(`the copy of ${name} differs from its rebuilt rows; live tables left as they were`);
    checksums.push(rebuilt);
  }
  for (const { name } of projection.tables) {
    const before = await indexesOf(session, schema, name);
    await session.query(
      `ALTER TABLE ${qualified(schema, name)} RENAME TO ${quoteIdent(name + RETIRED_SUFFIX)}`,
    );
    await session.query(
      `ALTER TABLE ${qualified(schema, name + SHADOW_SUFFIX)} RENAME TO ${quoteIdent(name)}`,
    );
    await session.query(`DROP TABLE ${qualified(schema, name + RETIRED_SUFFIX)}`);
    const after = await indexesOf(session, schema, name);
    for (const index of after) {
      const original = before.findIndex((candidate) => candidate.shape === index.shape);
      if (original < 0) continue;
      const [{ name: oldName }] = before.splice(original, 1);
      if (oldName !== index.name)
        await session.query(`ALTER INDEX ${qualified(schema, index.name)} RENAME TO ${quoteIdent(oldName)}`);
    }
  }
  return checksums;
}
