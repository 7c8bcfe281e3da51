import type { ClientBase, ClientConfig, Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's query() neither prepares named statements nor lets a caller skip its query-runner
 * bookkeeping; the hot paths (appends, relay wake-ups) talk to the pg pool underneath instead.
 */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/** Connection settings for a session that must live outside the pool (LISTEN, session locks). */
export function connectionConfigOf(dataSource: DataSource): ClientConfig {
  return (poolOf(dataSource) as unknown as { options: ClientConfig }).options;
}

/** The connection a transaction's manager runs on, or the pool for the default manager. */
export function connectionOf(dataSource: DataSource, manager: EntityManager): ClientBase | Pool | undefined {
  if (!manager.queryRunner) return poolOf(dataSource);
  return (manager.queryRunner as unknown as { databaseConnection?: ClientBase }).databaseConnection;
}
