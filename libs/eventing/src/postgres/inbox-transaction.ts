import { escapeLiteral, type QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { flushesAfterCommit, transactionCommitted, transactionRolledBack } from './after-commit';
import { clientOfRunner, markTransactionBegun } from './pg-connection';

/**
 * Runs `work` in a transaction that begins by claiming `messageIds` for `consumer` in the inbox,
 * START TRANSACTION and the claim sent as one simple query: one round trip instead of two for
 * every consumed message. `work` gets the ids not seen before (none: it is not called) and a
 * manager inside the transaction, exactly as DataSource.transaction would give it.
 */
export async function inboxTransaction(
  dataSource: DataSource,
  inboxTable: string,
  consumer: string,
  messageIds: readonly string[],
  work: (fresh: ReadonlySet<string>, manager: EntityManager) => Promise<void>,
): Promise<ReadonlySet<string>> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const connection = clientOfRunner(runner);
  const ids = messageIds.map((id) => escapeLiteral(id)).join(', ');
  try {
    // A simple query may hold several statements and takes no parameters; the values are escaped literals.
    let results: QueryResult<{ message_id: string }>[];
    try {
      results = (await connection.query(
        `START TRANSACTION;
         INSERT INTO ${inboxTable} (consumer, message_id) SELECT ${escapeLiteral(consumer)}, unnest(ARRAY[${ids}]::text[])
         ON CONFLICT DO NOTHING RETURNING message_id`,
      )) as unknown as QueryResult<{ message_id: string }>[];
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    markTransactionBegun(runner);
    flushesAfterCommit(runner.manager);
    const fresh = new Set(results[1].rows.map((row) => row.message_id));
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
