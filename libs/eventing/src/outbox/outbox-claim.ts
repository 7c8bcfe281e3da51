import type { DataSource, QueryRunner } from 'typeorm';

export interface OutboxRow {
  readonly id: string;
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly age_ms: number;
}

/** Rows locked and marked in an open transaction, committed once Kafka has acknowledged them. */
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
    // partial index in id order keeps a claim's cost independent of the backlog's size. A mark lost
    // in a database crash only means publishing again, which inboxes absorb, so the commit need not wait for the flush.
    await runner.query(
      'SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; SET LOCAL synchronous_commit = off',
    );
    // Marked in the claiming transaction, which commits only after Kafka acknowledged the send:
    // one pass over the rows, and a failed send rolls the mark back with the claim.
    const [rows]: [OutboxRow[], number] = await runner.query(
      `UPDATE ${table} SET published_at = clock_timestamp()
       WHERE id IN (SELECT id FROM ${table} WHERE published_at IS NULL AND id > $2 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, topic, key, envelope::text AS value, headers, (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms`,
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
