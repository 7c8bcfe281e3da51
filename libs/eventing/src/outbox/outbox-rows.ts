import type { DataSource } from 'typeorm';
import { poolOf } from '../postgres/pg-connection';

export interface OutboxRow {
  readonly id: string;
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  /** JSON text: the outbox is a queue of already-serialised records, so PostgreSQL never parses them. */
  readonly headers: string;
  readonly age_ms: number;
}

const ID = /^\d+$/;

/**
 * The next committed rows after `afterId`, in id order, in one round trip. Only the relay that
 * holds the schema's lock reads the outbox, so rows need no locks: they stay until deleted after
 * Kafka acknowledged them, and a relay that dies in between only makes its successor send them
 * again (inboxes absorb that). The statements run as one implicit transaction, so the planner
 * settings hold for the read only: without fresh statistics the planner would sort the whole
 * backlog for every batch, where walking the primary key keeps a read's cost independent of it.
 */
export async function readOutbox(
  dataSource: DataSource,
  table: string,
  batchSize: number,
  afterId: string,
): Promise<OutboxRow[]> {
  if (!ID.test(afterId) || !Number.isInteger(batchSize))
    throw new Error('outbox ids and batch sizes are integers');
  // A simple query (no parameters) may hold several statements; the ids are checked digits.
  const results = (await poolOf(dataSource).query(
    `SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off;
     SELECT id, topic, key, envelope AS value, headers,
       (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms
     FROM ${table} WHERE id > ${afterId} ORDER BY id LIMIT ${batchSize}`,
  )) as unknown as { rows: OutboxRow[] }[];
  return results[results.length - 1].rows;
}

/** Deletes published rows; the outbox holds only what is pending (the event store and the topic keep the history). */
export async function deleteOutboxRows(
  dataSource: DataSource,
  table: string,
  rows: readonly OutboxRow[],
): Promise<void> {
  if (rows.length === 0) return;
  if (!rows.every((row) => ID.test(row.id))) throw new Error('outbox ids are integers');
  // A lost delete only means sending again, so the commit need not wait for the flush.
  await poolOf(dataSource).query(
    `SET LOCAL synchronous_commit = off; DELETE FROM ${table} WHERE id IN (${rows.map((row) => row.id).join(', ')})`,
  );
}
