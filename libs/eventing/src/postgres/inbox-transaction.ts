import { escapeLiteral, type QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { flushesAfterCommit, transactionCommitted, transactionRolledBack } from './after-commit';
import { clientOfRunner, markTransactionBegun } from './pg-connection';

/**
 * Runs `work` in a transaction that begins by claiming `messageIds` for `consumer` in the inbox,
 * START TRANSACTION and the claim sent as one simple query: one round trip instead of two for
 * every consumed message. `work` gets the ids not seen before (none: it is not called) and a
 * manager inside the transaction, exactly as DataSource.transaction would give it. With no
 * `inboxTable` nothing is claimed and every id counts as fresh: for a handler whose writes are
 * idempotent by a key of their own.
 */
export async function inboxTransaction(
  dataSource: DataSource,
  inboxTable: string | undefined,
  consumer: string,
  messageIds: readonly string[],
  work: (fresh: ReadonlySet<string>, manager: EntityManager) => Promise<void>,
): Promise<ReadonlySet<string>> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const connection = clientOfRunner(runner);
  try {
    let fresh: Set<string>;
    try {
      if (inboxTable === undefined) {
        await connection.query('START TRANSACTION');
        fresh = new Set(messageIds);
      } else {
        // A simple query may hold several statements and takes no parameters; the values are escaped literals.
        const ids = messageIds.map((id) => escapeLiteral(id)).join(', ');
        const results = (await connection.query(
          `START TRANSACTION;
           INSERT INTO ${inboxTable} (consumer, message_id) SELECT ${escapeLiteral(consumer)}, unnest(ARRAY[${ids}]::text[])
           ON CONFLICT DO NOTHING RETURNING message_id`,
        )) as unknown as QueryResult<{ message_id: string }>[];
        fresh = new Set(results[1].rows.map((row) => row.message_id));
      }
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    markTransactionBegun(runner);
    flushesAfterCommit(runner.manager);
    if (fresh.size > 0) await work(fresh, runner.manager);
    await runner.commitTransaction();
    await transactionCommitted(runner.manager);
    return fresh;
  } catch (error) {
    transactionRolledBack(runner.manager);
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
