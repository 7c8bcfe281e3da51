import { Client } from 'pg';
import { provisionServiceDatabase } from '@tradecore/eventing';
import { InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { VirtualBrokerEnv } from '../virtual-broker.env';

/**
 * With DATABASE_ADMIN_URL the service creates its own role and schema and connects as that role,
 * which can read nothing else. Without it (a local run as a superuser) it only makes sure the
 * schema exists, since the read-model migrations run before anything else would create it.
 */
export async function prepareDatabase(schema: string): Promise<void> {
  try {
    const env = validateEnv(VirtualBrokerEnv)(process.env);
    if (env.DATABASE_ADMIN_URL) {
      process.env.DATABASE_URL = await provisionServiceDatabase(env.DATABASE_ADMIN_URL, {
        schema,
        role: schema,
        password: env.DATABASE_PASSWORD,
      });
      return;
    }
    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    const message =
      error instanceof InvalidConfigurationError
        ? error.message
        : `Start-up failed: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
