import { DataSource, type DataSourceOptions } from 'typeorm';
import { EventStore } from '../event-store/event-store';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema } from './test-database';

type ServiceTables = Pick<DataSourceOptions, 'entities' | 'migrations' | 'migrationsTableName'>;

export interface ServiceTestSchema {
  readonly schema: string;
  /** Bound to the schema, with the service's own migrations run. */
  readonly dataSource: DataSource;
  /** Over eventing's tables in the same schema, migrated too. */
  readonly store: EventStore;
  drop(): Promise<void>;
}

/** A fresh schema holding a service's tables beside eventing's, as the service's own database would. */
export async function createServiceTestSchema(
  prefix: string,
  tables: ServiceTables,
): Promise<ServiceTestSchema> {
  const database = await createTestSchema(prefix);
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.databaseUrl,
    schema: database.schema,
    ...tables,
  } as DataSourceOptions);
  await dataSource.initialize();
  await dataSource.runMigrations();
  await migrateEventing(dataSource, database.schema);
  return {
    schema: database.schema,
    dataSource,
    store: new EventStore({ dataSource, schema: database.schema }),
    drop: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
