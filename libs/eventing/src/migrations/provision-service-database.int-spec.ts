import { Client } from 'pg';
import { createTestSchema, type TestSchema } from '../testing';
import { migrateEventing } from './eventing-migrations';
import { provisionServiceDatabase } from './provision-service-database';

describe('provisionServiceDatabase', () => {
  let db: TestSchema;
  const suffix = Math.random().toString(36).slice(2, 8);
  const alpha = { schema: `alpha_${suffix}`, role: `alpha_${suffix}` };
  const beta = { schema: `beta_${suffix}`, role: `beta_${suffix}` };

  beforeAll(async () => {
    db = await createTestSchema();
  });
  afterAll(async () => {
    for (const service of [alpha, beta]) {
      await db.dataSource.query(`DROP SCHEMA IF EXISTS ${service.schema} CASCADE`);
      await db.dataSource.query(`DROP ROLE IF EXISTS ${service.role}`);
    }
    await db.drop();
  });

  async function as(url: string, sql: string): Promise<unknown> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('gives each service a role that owns its schema and cannot read another service', async () => {
    const alphaUrl = await provisionServiceDatabase(db.databaseUrl, alpha);
    const betaUrl = await provisionServiceDatabase(db.databaseUrl, beta);
    await as(alphaUrl, "CREATE TABLE secrets (value text); INSERT INTO secrets VALUES ('alpha only')");

    await expect(as(alphaUrl, 'SELECT value FROM secrets')).resolves.toEqual([{ value: 'alpha only' }]);
    await expect(as(betaUrl, `SELECT value FROM ${alpha.schema}.secrets`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(as(betaUrl, 'CREATE TABLE public.intruder (x int)')).rejects.toThrow(/permission denied/);
  });

  it('can run again without harm', async () => {
    await provisionServiceDatabase(db.databaseUrl, alpha);
    const url = await provisionServiceDatabase(db.databaseUrl, alpha);
    await expect(as(url, 'SELECT count(*)::int AS n FROM secrets')).resolves.toEqual([{ n: 1 }]);
  });

  it('lets the service role run the eventing migrations in its own schema', async () => {
    const url = await provisionServiceDatabase(db.databaseUrl, alpha);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await expect(migrateEventing(client, alpha.schema)).resolves.toEqual(expect.arrayContaining([1]));
      await expect(migrateEventing(client, alpha.schema)).resolves.toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('hands the role what a superuser once created in its schema, so it can migrate again', async () => {
    await db.dataSource.query(`CREATE TABLE ${alpha.schema}.left_by_superuser (id serial PRIMARY KEY)`);
    const url = await provisionServiceDatabase(db.databaseUrl, alpha);
    await as(url, 'INSERT INTO left_by_superuser DEFAULT VALUES');
    await expect(as(url, 'SELECT count(*)::int AS n FROM left_by_superuser')).resolves.toEqual([{ n: 1 }]);
  });
});
