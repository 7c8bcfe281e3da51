import { Client, Pool } from 'pg';
import { createTestSchema, type TestSchema } from '../testing/test-database';
import {
  clientOfRunner,
  connectionConfigOf,
  connectionOf,
  destroySession,
  markTransactionBegun,
  poolOf,
} from './pg-connection';

// The private TypeORM and pg state the hot paths rely on. A failure here after an upgrade means
// pg-connection.ts must follow the library before anything ships: transactions are at stake.
describe('the TypeORM and pg internals eventing relies on', () => {
  let db: TestSchema;
  const table = () => `"${db.schema}".probe`;
  const pid = 'SELECT pg_backend_pid() AS pid';

  beforeAll(async () => {
    db = await createTestSchema('pgconn');
    await db.dataSource.query(`CREATE TABLE ${table()} (id text PRIMARY KEY)`);
  });
  afterAll(() => db.drop());

  it('finds the pg pool under the data source, and uses it for the default manager', async () => {
    const pool = poolOf(db.dataSource);
    expect(pool).toBeInstanceOf(Pool);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(connectionOf(db.dataSource, db.dataSource.manager)).toBe(pool);
  });

  it("finds a query runner's own pg client, the one a transaction's manager runs on", async () => {
    await db.dataSource.transaction(async (manager) => {
      const client = connectionOf(db.dataSource, manager);
      expect(client).toBeDefined();
      const [viaTypeorm]: { pid: number }[] = await manager.query(pid);
      expect((await client!.query(pid)).rows).toEqual([viaTypeorm]);
      expect(clientOfRunner(manager.queryRunner!)).toBe(client);
    });
  });

  it('lets TypeORM commit, roll back and nest savepoints in a transaction begun by hand', async () => {
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await clientOfRunner(runner).query(`START TRANSACTION; INSERT INTO ${table()} VALUES ('outer')`);
      markTransactionBegun(runner);
      expect(runner.isTransactionActive).toBe(true);
      await expect(
        runner.manager.transaction(async (nested) => {
          await nested.query(`INSERT INTO ${table()} VALUES ('nested')`);
          throw new Error('undo the nested part only');
        }),
      ).rejects.toThrow('undo the nested part only');
      await runner.commitTransaction();
      expect(runner.isTransactionActive).toBe(false);
    } finally {
      await runner.release();
    }
    expect(await db.dataSource.query(`SELECT id FROM ${table()} ORDER BY id`)).toEqual([{ id: 'outer' }]);
  });

  it("reads the pool's connection settings and can cut a session's socket", async () => {
    const config = connectionConfigOf(db.dataSource);
    expect(config.connectionString ?? config.host).toBeTruthy();
    const client = new Client(config);
    await client.connect();
    const cut = new Promise<Error>((resolve) => client.once('error', resolve));
    destroySession(client);
    expect((await cut).message).toMatch(/terminated/);
    await expect(client.query('SELECT 1')).rejects.toThrow();
  });
});
