import { EventStore } from '../event-store/event-store';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from '../testing';
import { ReplayCursor } from './replay-cursor';

describe('ReplayCursor (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;
  const added = (amount: number) => [{ type: 'Added', payload: { amount } }];

  beforeAll(async () => {
    db = await createTestSchema('replay_cursor');
    await migrateEventing(db.dataSource, db.schema);
    store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
  });
  afterAll(() => db.drop());

  it('reads an event that commits after a later position was read, and only once', async () => {
    const cursor = new ReplayCursor(store, ['Tally']);
    await store.append('early', 'Tally', 0, added(1));
    const slow = db.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    // Takes its position now, commits after the next append has been read.
    await store.append('slow', 'Tally', 0, added(2), { manager: slow.manager });
    await store.append('fast', 'Tally', 0, added(3));
    await store.append('other', 'Elsewhere', 0, added(4));

    const first = await cursor.read(100);
    first.advance();
    expect(first.events.map((event) => event.envelope.streamId)).toEqual(['early', 'fast']);
    expect(first.scanned).toBe(3);

    await slow.commitTransaction();
    await slow.release();
    const second = await cursor.read(100);
    second.advance();
    expect(second.events.map((event) => event.envelope.streamId)).toEqual(['slow']);
    const third = await cursor.read(100);
    expect(third.scanned).toBe(0);
  });

  it('stops waiting for a position whose append rolled back once it has settled', async () => {
    const cursor = new ReplayCursor(store, ['Tally'], 1000);
    const start = Date.now();
    (await cursor.read(1000, start)).advance();
    const rolledBack = db.dataSource.createQueryRunner();
    await rolledBack.connect();
    await rolledBack.startTransaction();
    await store.append('gone', 'Tally', 0, added(5), { manager: rolledBack.manager });
    await store.append('kept', 'Tally', 0, added(6));
    await rolledBack.rollbackTransaction();
    await rolledBack.release();

    const page = await cursor.read(100, start);
    page.advance();
    expect(page.events.map((event) => event.envelope.streamId)).toEqual(['kept']);
    const rechecked = await cursor.read(100, start + 500);
    expect(rechecked.scanned).toBe(0);
    const restore = cursor.checkpoint();
    await store.append('late', 'Tally', 0, added(7));
    const settled = await cursor.read(100, start + 5000);
    settled.advance();
    expect(settled.events.map((event) => event.envelope.streamId)).toEqual(['late']);
    restore();
    expect((await cursor.read(100, start + 5000)).events.map((event) => event.envelope.streamId)).toEqual([
      'late',
    ]);
  });
});
