import { Client } from 'pg';
import { ensureDatabase, provisionServiceDatabase } from './provision-service-database';
import { quoteIdent } from './sql-identifiers';

export interface ServiceDatabaseSettings {
  readonly DATABASE_URL: string;
  readonly DATABASE_ADMIN_URL?: string;
  readonly DATABASE_PASSWORD?: string;
}

/**
 * Runs before a service starts and returns the URL it should connect with. With an admin URL the
 * service provisions its own role and schema and connects as that role, which can read nothing
 * else; without one (a local run, or roles made by the deployment) it only makes sure its schema
 * exists, since read-model migrations run before anything else would create it.
 */
export async function prepareServiceDatabase(
  schema: string,
  settings: ServiceDatabaseSettings,
): Promise<string> {
  if (settings.DATABASE_ADMIN_URL) {
    return provisionServiceDatabase(settings.DATABASE_ADMIN_URL, {
      schema,
      role: schema,
      password: settings.DATABASE_PASSWORD,
    });
  }
  await ensureDatabase(settings.DATABASE_URL);
  const client = new Client({ connectionString: settings.DATABASE_URL });
  await client.connect();
  try {
    // Checked first: a role that owns its schema may still lack the right to create schemas,
    // and PostgreSQL checks that right even for CREATE SCHEMA IF NOT EXISTS.
    const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  } finally {
    await client.end();
  }
  return settings.DATABASE_URL;
}
