import { Client } from 'pg';
import { quoteIdent } from './sql-identifiers';

export interface ServiceDatabase {
  /** The service's schema; its role owns it and nothing else. */
  readonly schema: string;
  readonly role: string;
  /** Optional: with trust authentication (local runs) a role needs none. */
  readonly password?: string;
}

/**
 * Creates the database if missing, then a login role and a schema owned by it. Roles own
 * only their schema and are granted nothing else, so one service's role cannot read
 * another's tables. Idempotent; returns the URL the service connects with.
 */
export async function provisionServiceDatabase(adminUrl: string, service: ServiceDatabase): Promise<string> {
  await ensureDatabase(adminUrl);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const role = quoteIdent(service.role);
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [service.role]);
    if (exists.rowCount === 0) await admin.query(`CREATE ROLE ${role} LOGIN`).catch(ignoreDuplicate);
    if (service.password !== undefined) {
      const literal = (await admin.query('SELECT quote_literal($1) AS value', [service.password])).rows[0]
        .value;
      await admin.query(`ALTER ROLE ${role} PASSWORD ${literal}`);
    }
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(service.schema)} AUTHORIZATION ${role}`);
    await admin.query(`ALTER SCHEMA ${quoteIdent(service.schema)} OWNER TO ${role}`);
    await admin.query(`ALTER ROLE ${role} SET search_path = ${quoteIdent(service.schema)}`);
    await handOverObjects(admin, service);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(service.role);
  url.password = service.password === undefined ? '' : encodeURIComponent(service.password);
  return url.toString();
}

/**
 * A service once run as a superuser (the local default) leaves tables the superuser owns, which
 * the role could neither see nor migrate; everything in the service's schema belongs to its role.
 */
async function handOverObjects(admin: Client, service: ServiceDatabase): Promise<void> {
  const kinds: Record<string, string> = {
    r: 'TABLE',
    p: 'TABLE',
    v: 'VIEW',
    m: 'MATERIALIZED VIEW',
    S: 'SEQUENCE',
  };
  const foreign = await admin.query<{ name: string; kind: string }>(
    `SELECT c.oid::regclass::text AS name, c.relkind AS kind FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = ANY($2) AND pg_get_userbyid(c.relowner) <> $3
     ORDER BY c.relkind = 'S'`,
    [service.schema, Object.keys(kinds), service.role],
  );
  for (const { name, kind } of foreign.rows) {
    await admin.query(`ALTER ${kinds[kind]} ${name} OWNER TO ${quoteIdent(service.role)}`);
  }
}

export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await admin.query(`CREATE DATABASE ${quoteIdent(database)}`).catch(ignoreDuplicate);
  } finally {
    await admin.end();
  }
}

function ignoreDuplicate(error: { code?: string }): void {
  // Two processes may race to create the same database or role; losing that race is fine.
  if (error.code !== '42P04' && error.code !== '42710' && error.code !== '23505') throw error;
}
