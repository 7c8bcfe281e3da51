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
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(service.role);
  url.password = service.password === undefined ? '' : encodeURIComponent(service.password);
  return url.toString();
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
