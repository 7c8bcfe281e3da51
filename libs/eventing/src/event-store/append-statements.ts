import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { connectionOf } from '../postgres/pg-connection';

export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * The append statement for n events and m outbox rows: parameters 1–4 are shared (stream id, stream
 * type, expected version, occurred at), then six per event, then four per outbox row. The guard makes
 * an append at a version the stream has not reached insert nothing (no gaps); the unique
 * (stream_id, version) catches writers racing for the same version.
 */
export class AppendStatements {
  private readonly cache = new Map<string, PreparedStatement>();

  constructor(
    private readonly eventsTable: string,
    private readonly outboxTable: string,
  ) {}

  for(events: number, outboxRows: number): PreparedStatement {
    const key = `${events}:${outboxRows}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const text = this.text(events, outboxRows);
    const statement = {
      name: `eventing_append_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`,
      text,
    };
    this.cache.set(key, statement);
    return statement;
  }

  private text(events: number, outboxRows: number): string {
    const placeholders = (first: number, types: readonly string[]) =>
      `(${types.map((type, index) => `$${first + index}::${type}`).join(', ')})`;
    const eventValues = Array.from({ length: events }, (_, index) =>
      placeholders(5 + index * 6, ['int', 'uuid', 'text', 'int', 'jsonb', 'jsonb']),
    );
    const outboxValues = Array.from({ length: outboxRows }, (_, index) =>
      placeholders(5 + events * 6 + index * 4, ['int', 'text', 'text', 'text']),
    );
    const insertEvents = `
      INSERT INTO ${this.eventsTable} (stream_id, stream_type, version, message_id, type, schema_version, payload, metadata, occurred_at)
      SELECT $1, $2, e.version, e.message_id, e.type, e.schema_version, e.payload, e.metadata, $4::timestamptz
      FROM (VALUES ${eventValues.join(', ')}) AS e(version, message_id, type, schema_version, payload, metadata)
      WHERE $3::int = 0 OR EXISTS (SELECT 1 FROM ${this.eventsTable} WHERE stream_id = $1 AND version = $3::int)
      ORDER BY e.version
      RETURNING version`;
    if (outboxRows === 0) return insertEvents;
    return `WITH appended AS (${insertEvents})
      INSERT INTO ${this.outboxTable} (topic, key, envelope, headers)
      SELECT o.topic, $1, o.envelope, o.headers
      FROM (VALUES ${outboxValues.join(', ')}) AS o(version, topic, envelope, headers) JOIN appended USING (version)
      ORDER BY o.version
      RETURNING id`;
  }
}

/** Appends are the hot path: a named statement is parsed and planned once per connection, not on every call. */
export async function queryPrepared(
  dataSource: DataSource,
  manager: EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<unknown[]> {
  const connection = connectionOf(dataSource, manager);
  if (!connection) return manager.query(statement.text, values);
  return (await connection.query({ ...statement, values })).rows;
}
