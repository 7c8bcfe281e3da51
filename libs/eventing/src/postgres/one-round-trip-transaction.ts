import { createHash } from 'node:crypto';
import type { ClientBase, Pool, QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { poolOf } from './pg-connection';
import { literal, type QueuedStatement, StatementBatch } from './statement-batch';

/** The statements each connection has PREPAREd by name (SQL-level, apart from pg's protocol-level ones). */
const preparedOn = new WeakMap<ClientBase, Set<string>>();
/** A statement's name by its text: the texts are the few shapes a service's code writes. */
const nameOf = new Map<string, string>();

/**
 * Runs `work` on a manager that queues every statement it is given (StatementBatch: only for work
 * that never reads what a statement returns) and sends them with oneRoundTripTransaction; what
 * `refuses` makes of the first statement's rows, if anything, rolls it back and is thrown.
 */
export async function queuedInOneRoundTrip<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  refuses: (firstRows: readonly unknown[]) => Error | undefined,
): Promise<T> {
  const batch = new StatementBatch();
  const result = await work(batch.manager(dataSource.manager));
  await oneRoundTripTransaction(poolOf(dataSource), batch.take(), refuses);
  return result;
}

/**
 * Runs `statements` as one transaction whose work travels in one round trip: BEGIN and one EXECUTE
 * per statement (its values as literals in pg's text form, as a StatementBatch sends them) in one
 * simple query, in order, so each statement sees the ones before it; then COMMIT, or ROLLBACK and
 * throw when `refuses` makes an error of the first statement's rows. Two round trips where BEGIN,
 * n statements and COMMIT took n + 2. Each statement is PREPAREd once per connection, the first
 * time that connection meets its text, so PostgreSQL parses and plans it as it would pg's named
 * statements.
 */
export async function oneRoundTripTransaction(
  pool: Pool,
  statements: readonly QueuedStatement[],
  refuses: (firstRows: readonly unknown[]) => Error | undefined,
): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const names = await prepareOn(client, statements).catch((error: Error) => {
      broken = error;
      throw error;
    });
    const executes = statements.map(({ text, values }, index) =>
      values.length === 0 ? text : `EXECUTE ${names[index]}(${values.map(literal).join(', ')})`,
    );
    let refusal: Error | undefined;
    try {
      const results = (await client.query(['BEGIN', ...executes].join(';\n'))) as unknown as QueryResult[];
      refusal = refuses(results[1].rows);
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
      throw error;
    }
    await client.query(refusal ? 'ROLLBACK' : 'COMMIT');
    if (refusal) throw refusal;
  } finally {
    // A connection whose state is unknown (a PREPARE half done, a ROLLBACK refused) is closed, not reused.
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
  if (missing.size > 0) {
    await client.query([...missing].map(([name, text]) => `PREPARE ${name} AS ${text}`).join(';\n'));
    for (const name of missing.keys()) prepared.add(name);
  }
  return names;
}
