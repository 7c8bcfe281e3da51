import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { connectionOf } from './pg-connection';
import { batchOf } from './statement-batch';

export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** Named after its text, so the same text is the same statement on every connection. */
export function prepared(prefix: string, text: string): PreparedStatement {
  return { name: `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
}

/**
 * For the hot paths (loads, appends, inline projections): a named statement is parsed and planned
 * once per connection, not on every call, and skips TypeORM's query-runner bookkeeping. On a
 * batching manager (a rebuild's replay) the statement is queued instead, and answers no rows.
 */
export async function queryPrepared<Row = unknown>(
  manager: EntityManager,
  statement: PreparedStatement,
  values: readonly unknown[],
): Promise<Row[]> {
  const batch = batchOf(manager);
  if (batch) {
    batch.add(statement.text, values);
    return [];
  }
  const connection = connectionOf(manager.connection, manager);
  if (!connection) return manager.query(statement.text, [...values]);
  return (await connection.query({ ...statement, values: [...values] })).rows as Row[];
}
