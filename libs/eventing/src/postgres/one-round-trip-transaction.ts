import { createHash } from 'node:crypto';
import { type ClientBase, DatabaseError, type Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { poolOf } from './pg-connection';
import { literal, type QueuedStatement, StatementBatch } from './statement-batch';

/** The statements each connection has PREPAREd by name (SQL-level, apart from pg's protocol-level ones). */
const preparedOn = new WeakMap<ClientBase, Set<string>>();
/** A statement's name by its text: the texts are the few shapes a service's code writes. */
const nameOf = new Map<string, string>();

/**
 * Runs `work` on a manager that queues every statement it is given (StatementBatch: only for work
 * that never reads what a statement returns), then sends them with oneRoundTripTransaction.
 */
export async function queuedInOneRoundTrip<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const batch = new StatementBatch();
  const result = await work(batch.manager(dataSource.manager));
  await oneRoundTripTransaction(poolOf(dataSource), batch.take());
  return result;
}

/**
 * Runs `statements` as one transaction in one round trip, where BEGIN, n statements and COMMIT
 * took n + 2: one simple query of an EXECUTE per statement (its values as literals in pg's text
 * form, as a StatementBatch sends them), which PostgreSQL runs in order, each seeing the ones
 * before it, as one implicit transaction that any failing statement undoes whole. So a statement
 * must refuse by an error, never by doing nothing. Each is PREPAREd once per connection, the first
 * time that connection meets its text, so it is parsed and planned as pg's named statements are.
 */
export async function oneRoundTripTransaction(
  pool: Pool,
  statements: readonly QueuedStatement[],
): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const names = await prepareOn(client, statements);
    const executes = statements.map(({ text, values }, index) =>
      values.length === 0 ? text : `EXECUTE ${names[index]}(${values.map(literal).join(', ')})`,
    );
    await client.query(executes.join(';\n'));
  } catch (error) {
    // A refused statement leaves the session idle; anything else (a lost socket, a timeout) closes it.
    if (!(error instanceof DatabaseError)) broken = error as Error;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The name each statement runs under on this connection, PREPAREing (in one round trip) those it lacks. */
async function prepareOn(client: ClientBase, statements: readonly QueuedStatement[]): Promise<string[]> {
  const prepared = preparedOn.get(client) ?? new Set<string>();
  preparedOn.set(client, prepared);
  const names = statements.map(({ text }) => {
    const known = nameOf.get(text);
    if (known) return known;
    const name = `rt_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    nameOf.set(text, name);
    return name;
  });
  const missing = new Map<string, string>();
  statements.forEach(({ text, values }, index) => {
    if (values.length > 0 && !prepared.has(names[index])) missing.set(names[index], text);
  });
  if (missing.size === 0) return names;
  try {
    await client.query([...missing].map(([name, text]) => `PREPARE ${name} AS ${text}`).join(';\n'));
  } catch (error) {
    // Which of them were prepared before one failed is unknown: the connection is not used again.
    throw Object.assign(new Error(`could not prepare a batched statement: ${String(error)}`), {
      cause: error,
    });
  }
  for (const name of missing.keys()) prepared.add(name);
  return names;
}
