import { type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { startDevBroker, type DevBrokerHandle } from '@tradecore/dev-broker';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EventingModule } from '../src/nest/eventing.module';
import { createTestSchema, type TestSchema } from '../src/testing';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A migration that takes a second, as one rewriting a large table takes minutes. */
class BackfillLedger1765400000000 implements MigrationInterface {
  name = 'BackfillLedger1765400000000';
  async up(runner: QueryRunner): Promise<void> {
    const schema = runner.connection.driver.schema as string;
    await runner.query(
      `CREATE TABLE "${schema}".ledger AS SELECT n FROM generate_series(1, 10) n, pg_sleep(1)`,
    );
  }
  down(): Promise<void> {
    return Promise.resolve(); // the test schema is dropped instead
  }
}

/**
 * DATABASE_QUERY_TIMEOUT_MS bounds requests and loops; a start-up migration that takes longer must
 * still run to its end, and one that passes its own bound must say so in one readable line.
 */
describe('a service migrating its schema at start-up', () => {
  let broker: DevBrokerHandle;
  let db: TestSchema;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, logger: silent });
  });
  afterAll(() => broker.stop());
  beforeEach(async () => {
    db = await createTestSchema('migrate');
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await db.drop();
  });

  const start = async (env: Record<string, string>) => {
    Object.assign(process.env, {
      KAFKA_BROKERS: broker.brokers.join(','),
      DATABASE_URL: db.databaseUrl,
      LOG_LEVEL: 'silent',
      DATABASE_QUERY_TIMEOUT_MS: '300',
      ...env,
    });
    @Module({
      imports: [
        EventingModule.forRoot({
          serviceName: 'migrating',
          schema: db.schema,
          topics: [],
          typeorm: {
            migrations: [BackfillLedger1765400000000],
            migrationsRun: true,
            migrationsTableName: 'typeorm_migrations',
          },
        }),
      ],
    })
    class MigratingServiceModule {}
    const moduleRef = await Test.createTestingModule({ imports: [MigratingServiceModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  };

  it('runs a migration longer than DATABASE_QUERY_TIMEOUT_MS to its end, then serves with that timeout', async () => {
    await start({ DATABASE_MIGRATION_TIMEOUT_MS: '600000' });

    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".ledger`)).toEqual([
      { n: 10 },
    ]);
    const applied = await db.dataSource.query(`SELECT name FROM "${db.schema}".typeorm_migrations`);
    expect(applied).toEqual([{ name: 'BackfillLedger1765400000000' }]);
    const eventing = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".eventing_migrations`,
    );
    expect(eventing[0].n).toBeGreaterThan(0);
  }, 20_000);

  it('fails the start-up naming the schema, the statement and the variable when a migration passes its own bound', async () => {
    const failure = start({ DATABASE_MIGRATION_TIMEOUT_MS: '300' });

    await expect(failure).rejects.toThrow(
      new RegExp(
        `^migrating schema "${db.schema}" failed: .*statement timeout.*CREATE TABLE .*ledger.*DATABASE_MIGRATION_TIMEOUT_MS=300; raise it, or 0 for no limit`,
      ),
    );
    const tables = await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'ledger'`,
      [db.schema],
    );
    expect(tables).toEqual([]);
  }, 20_000);
});
