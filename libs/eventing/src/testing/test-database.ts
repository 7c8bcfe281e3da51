import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ensureDatabase } from '../migrations/provision-service-database';
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
