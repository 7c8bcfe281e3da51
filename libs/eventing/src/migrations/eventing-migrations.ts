import { DataSource } from 'typeorm';
import { quoteIdent } from './sql-identifiers';

export interface EventingMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: (schema: string) => string;
}

/** Append-only: a released migration never changes; later changes add a version. */
export const eventingMigrations: readonly EventingMigration[] = [
  {
    version: 1,
    name: 'event store, snapshots, outbox, inbox, dead letters',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE IF NOT EXISTS ${s}.events (
          global_position bigserial PRIMARY KEY,
          stream_id text NOT NULL,
          stream_type text NOT NULL,
          version integer NOT NULL,
          message_id uuid NOT NULL,
          type text NOT NULL,
          schema_version integer NOT NULL,
          payload jsonb NOT NULL,
          metadata jsonb NOT NULL,
          occurred_at timestamptz NOT NULL,
          CONSTRAINT events_stream_version_uq UNIQUE (stream_id, version)
        );
        CREATE TABLE IF NOT EXISTS ${s}.snapshots (
          stream_id text PRIMARY KEY,
          version integer NOT NULL,
          state jsonb NOT NULL,
          schema_version integer NOT NULL,
          taken_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE IF NOT EXISTS ${s}.outbox (
          id bigserial PRIMARY KEY,
          topic text NOT NULL,
          key text NOT NULL,
          envelope text NOT NULL,
          headers text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        CREATE TABLE IF NOT EXISTS ${s}.inbox (
          consumer text NOT NULL,
          message_id text NOT NULL,
          handled_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (consumer, message_id)
        );
        CREATE TABLE IF NOT EXISTS ${s}.dead_letters (
          id bigserial PRIMARY KEY,
          topic text NOT NULL,
          partition integer NOT NULL,
          "offset" text NOT NULL,
          consumer text NOT NULL,
          message_id text,
          key text,
          error text NOT NULL,
          stack text,
          attempts integer NOT NULL,
          value_base64 text,
          headers jsonb NOT NULL,
          first_failed_at timestamptz NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          replayed_at timestamptz,
          replay_count integer NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS dead_letters_pending_idx ON ${s}.dead_letters (id) WHERE replayed_at IS NULL;`;
    },
  },
  {
    version: 2,
    // Without them each pruning batch would scan the whole table to find its oldest rows.
    name: 'indexes the pruner finds old inbox rows and replayed dead letters by',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE INDEX IF NOT EXISTS inbox_handled_at_idx ON ${s}.inbox (handled_at);
        CREATE INDEX IF NOT EXISTS dead_letters_replayed_at_idx ON ${s}.dead_letters (replayed_at)
          WHERE replayed_at IS NOT NULL;`;
    },
  },
  {
    version: 3,
    // A row whose key is NULL is a shredded subject: it keeps a late event from minting a new key.
    name: 'per-subject data keys that seal personal fields (crypto-shredding)',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE IF NOT EXISTS ${s}.data_keys (
          subject_id text PRIMARY KEY,
          key bytea,
          created_at timestamptz NOT NULL DEFAULT now(),
          shredded_at timestamptz
        );`;
    },
  },
  {
    version: 4,
    // One row per projection rebuild: the ops API and the dashboard show progress from it on any replica.
    name: 'projection rebuild runs',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE IF NOT EXISTS ${s}.projection_rebuilds (
          id bigserial PRIMARY KEY,
          projection text NOT NULL,
          phase text NOT NULL,
          events_total bigint NOT NULL DEFAULT 0,
          events_done bigint NOT NULL DEFAULT 0,
          events_per_second numeric,
          eta_seconds numeric,
          tables jsonb,
          error text,
          started_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          finished_at timestamptz
        );
        CREATE INDEX IF NOT EXISTS projection_rebuilds_projection_idx ON ${s}.projection_rebuilds (projection, id);`;
    },
  },
  {
    version: 5,
    name: 'public keys of the services this one seals personal data for, per data subject',
    sql: (schema) => `
        CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.recipient_keys (
          subject_id text NOT NULL,
          recipient text NOT NULL,
          public_key text NOT NULL,
          PRIMARY KEY (subject_id, recipient)
        );`,
  },
];

interface SqlSession {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Brings a service's schema up to the latest eventing migration. Safe to run from several
 * replicas at once: an advisory lock per schema serialises them, and each version is recorded.
 */
export async function migrateEventing(target: DataSource | SqlSession, schema: string): Promise<number[]> {
  if (target instanceof DataSource) {
    const runner = target.createQueryRunner();
    await runner.connect();
    try {
      return await migrateInSession(runner, schema);
    } finally {
      await runner.release();
    }
  }
  return migrateInSession(target, schema);
}

async function migrateInSession(session: SqlSession, schema: string): Promise<number[]> {
  const s = quoteIdent(schema);
  await session.query('BEGIN');
  try {
    await session.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`eventing-migrations:${schema}`]);
    // A provisioned service role owns its schema but may not create schemas in the database, and
    // PostgreSQL checks that right even for CREATE SCHEMA IF NOT EXISTS: create it only when missing.
    const existing = (await session.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
      schema,
    ])) as unknown;
    if (rowsOf(existing).length === 0) await session.query(`CREATE SCHEMA ${s}`);
    await session.query(
      `CREATE TABLE IF NOT EXISTS ${s}.eventing_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = (await session.query(`SELECT version FROM ${s}.eventing_migrations`)) as unknown;
    const done = new Set(rowsOf<{ version: number }>(applied).map((row) => row.version));
    const pending = eventingMigrations.filter((migration) => !done.has(migration.version));
    for (const migration of pending) {
      await session.query(migration.sql(schema));
      await session.query(`INSERT INTO ${s}.eventing_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    await session.query('COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error) {
    await session.query('ROLLBACK');
    throw error;
  }
}

/** TypeORM's query runner returns rows; a pg client returns a result with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
