import { DataSource } from 'typeorm';
import { SagaOrchestratorTables1763780000000 } from './1763780000000-saga-orchestrator-tables';
import { TraceEnvelope1763790000000 } from './1763790000000-trace-envelope';
import { PruneIndexes1765110000000 } from './1765110000000-prune-indexes';
import { SagaExpiry1765122700000 } from './1765122700000-saga-expiry';
import { SagaTraceparent1765400000000 } from './1765400000000-saga-traceparent';
import { TraceSourceKey1765500000000 } from './1765500000000-trace-source-key';

/** The orchestrator's schema, in order: the service runs them at start-up, the tests on their own schema. */
export const orchestratorMigrations = [
  SagaOrchestratorTables1763780000000,
  TraceEnvelope1763790000000,
  PruneIndexes1765110000000,
  SagaExpiry1765122700000,
  SagaTraceparent1765400000000,
  TraceSourceKey1765500000000,
];

/** A connection to `schema` with the orchestrator's tables migrated, for tests of what reads and writes them. */
export async function migratedOrchestratorTables(databaseUrl: string, schema: string): Promise<DataSource> {
  const tables = new DataSource({
    type: 'postgres',
    url: databaseUrl,
    schema,
    migrations: orchestratorMigrations,
    migrationsTableName: 'typeorm_migrations',
  });
  await tables.initialize();
  await tables.runMigrations();
  return tables;
}
