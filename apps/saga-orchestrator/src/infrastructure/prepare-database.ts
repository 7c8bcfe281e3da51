import { ensureDatabase, provisionServiceDatabase } from '@tradecore/eventing';
import { Client } from 'pg';

/**
 * With DATABASE_ADMIN_URL, provisions the `saga_orchestrator` role that owns only this schema and
 * connects as it; otherwise makes sure the schema exists, since TypeORM's migrations need it.
 */
export async function prepareDatabase(schema: string): Promise<void> {
  try {
    const adminUrl = process.env.DATABASE_ADMIN_URL;
    if (adminUrl) {
      process.env.DATABASE_URL = await provisionServiceDatabase(adminUrl, {
        schema,
        role: schema,
        password: process.env.DATABASE_PASSWORD || undefined,
      });
      return;
    }
    const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/tradecore';
    await ensureDatabase(url);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    process.stderr.write(`Start-up failed: cannot prepare schema ${schema}: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
