import { outboxChannel, quoteIdent } from '../migrations/sql-identifiers';

/**
 * SQL for a caller that queues outbox rows inside a statement of its own (the saga orchestrator
 * writes a transition in one round trip), so the outbox's shape stays owned here.
 */

/**
 * Inserts the rows of a JSON array of `OutboxRecord`s, given as the text parameter `jsonParam`
 * (e.g. `$13`), in the array's order; use it as a CTE body, it returns one row per queued record.
 */
export function queueOutboxRows(schema: string, jsonParam: string): string {
  return `INSERT INTO ${quoteIdent(schema)}.outbox (topic, key, envelope, headers)
    SELECT topic, key, envelope, headers
    FROM ROWS FROM (jsonb_to_recordset(${jsonParam}::jsonb) AS (topic text, key text, envelope text, headers text))
      WITH ORDINALITY AS o(topic, key, envelope, headers, n)
    ORDER BY n
    RETURNING 1`;
}

/** Wakes the schema's relay (on commit) when the CTE named `queued` returned a row: a final SELECT. */
export function notifyRelayIfQueued(schema: string, queued: string): string {
  return `SELECT pg_notify('${outboxChannel(schema).replace(/'/g, "''")}', '') FROM (SELECT 1 FROM ${queued} LIMIT 1) AS any_queued`;
}
