import { prepared, type PreparedStatement } from '../postgres/prepared-statement';

export interface AppendShape {
  readonly events: number;
  readonly outboxRows: number;
  /** Inside a caller's transaction: the statement itself NOTIFYs, so the wake-up follows only that commit. */
  readonly notify: boolean;
  /**
   * Sent with other statements in one implicit transaction (oneRoundTripTransaction): a refused
   * append must fail the whole transaction, so the guard makes it write a NULL version, which the
   * events table's NOT NULL refuses (isStreamVersionViolation), instead of inserting nothing.
   */
  readonly refusesByError?: boolean;
}

/**
 * The append statement for n events and m outbox rows: parameters 1–4 are shared (stream id, stream
 * type, expected version, occurred at), then six per event, then five per outbox row (the version of
 * the event it goes with, topic, key, envelope, headers). The guard makes an append at a version the
 * stream has not reached insert nothing (no gaps), and outbox rows join the appended versions, so a
 * refused append queues nothing; the unique (stream_id, version) catches writers racing for a version.
 * It returns a row when the events were appended.
 */
export class AppendStatements {
  private readonly cache = new Map<string, PreparedStatement>();

  constructor(
    private readonly eventsTable: string,
    private readonly outboxTable: string,
    private readonly channel: string,
  ) {}

  for(shape: AppendShape): PreparedStatement {
    const key = `${shape.events}:${shape.outboxRows}:${shape.notify}:${shape.refusesByError}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const statement = prepared('eventing_append', this.text(shape));
    this.cache.set(key, statement);
    return statement;
  }

  private text({ events, outboxRows, notify, refusesByError }: AppendShape): string {
    const eventValues = Array.from({ length: events }, (_, index) =>
      placeholders(5 + index * 6, ['int', 'uuid', 'text', 'int', 'jsonb', 'jsonb']),
    );
    const outboxValues = Array.from({ length: outboxRows }, (_, index) =>
      placeholders(5 + events * 6 + index * 5, ['int', 'text', 'text', 'text', 'text'], index),
    );
    const guard = `$3::int = 0 OR EXISTS (SELECT 1 FROM ${this.eventsTable} WHERE stream_id = $1 AND version = $3::int)`;
    const insertEvents = `
      INSERT INTO ${this.eventsTable} (stream_id, stream_type, version, message_id, type, schema_version, payload, metadata, occurred_at)
      SELECT $1, $2, ${refusesByError ? `CASE WHEN ${guard} THEN e.version END` : 'e.version'}, e.message_id, e.type,
        e.schema_version, e.payload, e.metadata, $4::timestamptz
      FROM (VALUES ${eventValues.join(', ')}) AS e(version, message_id, type, schema_version, payload, metadata)
      ${refusesByError ? '' : `WHERE ${guard}`}
      ORDER BY e.version
      RETURNING version`;
    if (outboxRows === 0) return insertEvents;
    const wake = notify ? `pg_notify(${literal(this.channel)}, '')` : '1';
    return `WITH appended AS (${insertEvents}), queued AS (
      INSERT INTO ${this.outboxTable} (topic, key, envelope, headers)
      SELECT o.topic, o.key, o.envelope, o.headers
      FROM (VALUES ${outboxValues.join(', ')}) AS o(position, version, topic, key, envelope, headers)
      JOIN appended USING (version)
      ORDER BY o.position)
      SELECT ${wake} FROM (SELECT 1 FROM appended LIMIT 1) AS any_appended`;
  }
}

/** Typed placeholders for one VALUES row, led by its position when the rows' order matters. */
function placeholders(first: number, types: readonly string[], position?: number): string {
  const values = types.map((type, index) => `$${first + index}::${type}`);
  return `(${position === undefined ? '' : `${position}, `}${values.join(', ')})`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
