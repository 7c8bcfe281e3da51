import type { DataSource, QueryRunner } from 'typeorm';

export interface OutboxRow {
  readonly id: string;
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  /** JSON text: the outbox is a queue of already-serialised records, so PostgreSQL never parses them. */
  readonly headers: string;
  readonly age_ms: number;
}

/** Rows locked and deleted in an open transaction, committed once Kafka has acknowledged them. */
export interface OutboxClaim {
  readonly runner: QueryRunner;
  readonly rows: readonly OutboxRow[];
}

export async function claimOutboxRows(
  dataSource: DataSource,
  table: string,
  batchSize: number,
  afterId: string,
): Promise<OutboxClaim> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    // Without fresh statistics the planner sorts the whole backlog for every batch; walking the
    // primary key in id order keeps a claim's cost independent of the backlog's size. A claim lost
    // in a database crash only means publishing again, which inboxes absorb, so the commit need not wait for the flush.
    await runner.query(
      'SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; SET LOCAL synchronous_commit = off',
    );
    // Published rows are deleted, in the claiming transaction that commits only after Kafka acknowledged
    // the send: the outbox holds only what is pending (the event store and the topic keep the history),
    // so neither appends nor claims maintain a second index, and a failed send rolls the claim back.
    const [rows]: [OutboxRow[], number] = await runner.query(
      `DELETE FROM ${table}
       WHERE id IN (SELECT id FROM ${table} WHERE id > $2 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, topic, key, envelope AS value, headers, (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms`,
      [batchSize, afterId],
    );
    return { runner, rows: rows.sort((a, b) => Number(a.id) - Number(b.id)) };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
    throw error;
  }
}

/** Commits a sent claim, or gives its rows back for the next pass. */
export async function finishClaim({ runner }: OutboxClaim, published: boolean): Promise<void> {
  try {
    if (published) await runner.commitTransaction();
    else await runner.rollbackTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
