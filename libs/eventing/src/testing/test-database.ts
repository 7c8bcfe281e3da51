import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { quoteIdent } from '../migrations/sql-identifiers';

export interface TestSchema {
  readonly schema: string;
  readonly databaseUrl: string;
  readonly dataSource: DataSource;
  drop(): Promise<void>;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/tradecore_test';

/** A fresh schema per test file, so tests never see each other's rows and can run in any order. */
export async function createTestSchema(prefix = 't'): Promise<TestSchema> {
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_URL;
  await ensureDatabase(databaseUrl);
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, extra: { max: 30 } });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  return {
    schema,
    databaseUrl,
    dataSource,
    drop: async () => {
      await dataSource.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      await dataSource.destroy();
    },
  };
}

async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await admin.query(`CREATE DATABASE ${quoteIdent(database)}`).catch(ignoreAlreadyExists);
  } finally {
    await admin.end();
  }
}

function ignoreAlreadyExists(error: { code?: string }): void {
  // Two test processes may race to create the database; losing that race is fine.
  if (error.code !== '42P04' && error.code !== '23505') throw error;
}
