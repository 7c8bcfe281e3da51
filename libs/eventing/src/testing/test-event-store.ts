import { EventStore } from '../event-store/event-store';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from './test-database';

/** A fresh schema with eventing's tables migrated and an event store over it. */
export async function createTestEventStore(): Promise<TestSchema & { readonly store: EventStore }> {
  const db = await createTestSchema();
  await migrateEventing(db.dataSource, db.schema);
  return { ...db, store: new EventStore({ dataSource: db.dataSource, schema: db.schema }) };
}
