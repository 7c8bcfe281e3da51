import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { migrateEventing } from './eventing-migrations';

/** A start-up that could not bring the schema up to date; the message says which schema, what failed and what to change. */
export class MigrationFailedError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'MigrationFailedError';
  }
}

/**
 * Brings a service's schema up to date before its pool opens: its own TypeORM migrations (with
 * `migrationsRun`), then eventing's, on one connection of their own. The pool's
 * DATABASE_QUERY_TIMEOUT_MS bounds what a request may take, and would kill a migration that
 * rewrites a large table at start-up; here the wait is `timeoutMs` (DATABASE_MIGRATION_TIMEOUT_MS),
 * both for the answer and as the statement timeout the server applies, or none of ours with 0.
 */
export async function migrateServiceDatabase(
  options: PostgresConnectionOptions,
  timeoutMs: number,
): Promise<void> {
  const schema = options.schema ?? 'public';
  const bound = timeoutMs > 0 ? timeoutMs : undefined;
  const migrating = new DataSource({
    ...options,
    migrationsRun: false,
    // The server's statement timeout speaks first and names the statement; the read timeout is for a silent line.
    extra: { ...options.extra, max: 1, statement_timeout: bound, query_timeout: bound && bound + 10_000 },
  });
  try {
    await migrating.initialize();
  } catch (error) {
    throw new MigrationFailedError(
      `could not connect to PostgreSQL to migrate schema "${schema}": ${messageOf(error)}`,
      { cause: error },
    );
  }
  try {
    if (options.migrationsRun) await runServiceMigrations(migrating, schema, options);
    await migrateEventing(migrating, schema);
  } catch (error) {
    throw new MigrationFailedError(
      `migrating schema "${schema}" failed: ${messageOf(error)}` +
        (timedOut(error)
          ? ` (migrations may take DATABASE_MIGRATION_TIMEOUT_MS=${timeoutMs}; raise it, or 0 for no limit)`
          : ''),
      { cause: error },
    );
  } finally {
    await migrating.destroy().catch(() => undefined);
  }
}

/**
 * Replicas starting together on a fresh schema (an api process and its workers) would each create
 * the same tables and collide; a session lock per schema lets one migrate while the others wait,
 * then find nothing left to do. The pool has one connection, so the lock and the migrations share it.
 */
async function runServiceMigrations(
  migrating: DataSource,
  schema: string,
  options: PostgresConnectionOptions,
): Promise<void> {
  const key = `service-migrations:${schema}`;
  await migrating.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
  try {
    await migrating.runMigrations({ transaction: options.migrationsTransactionMode ?? 'all' });
  } finally {
    await migrating.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
  }
}

const messageOf = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  const query = (error as { query?: unknown }).query;
  const statement = typeof query === 'string' ? query.replace(/\s+/g, ' ').trim().slice(0, 120) : '';
  return statement ? `${message} (in: ${statement})` : message;
};

const timedOut = (error: unknown): boolean =>
  /statement timeout|Query read timeout/.test(error instanceof Error ? error.message : String(error));
