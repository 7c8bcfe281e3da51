import { Client } from 'pg';
import { type EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { runInMessageContext } from '../envelope/message-context';
import { migrateEventing } from '../migrations/eventing-migrations';
import { outboxChannel } from '../migrations/sql-identifiers';
import { createTestEventStore, type TestSchema } from '../testing';
import { EventStore } from './event-store';
import { VersionConflictError } from './version-conflict.error';

describe('EventStore (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;

  beforeAll(async () => {
    ({ store, ...db } = await createTestEventStore());
  });
  afterAll(() => db.drop());

  it('migrations are idempotent and recorded once', async () => {
    expect(await migrateEventing(db.dataSource, db.schema)).toEqual([]);
    const rows = await db.dataSource.query(
      `SELECT version FROM "${db.schema}".eventing_migrations ORDER BY version`,
    );
    expect(rows).toEqual([1, 2, 3, 4, 5].map((version) => ({ version })));
  });

  it('50 concurrent appends at the same expected version: exactly one wins, no gaps, no duplicates', async () => {
    await store.append('race-1', 'Tally', 0, [{ type: 'Added', payload: { amount: 1 } }]);
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, writer) =>
        store.append('race-1', 'Tally', 1, [
          { type: 'Added', payload: { amount: writer } },
          { type: 'Added', payload: { amount: writer } },
        ]),
      ),
    );
    const winners = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const losers = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const loser of losers) {
      expect(loser).toBeInstanceOf(VersionConflictError);
      expect(loser).toMatchObject({ streamId: 'race-1', expectedVersion: 1, currentVersion: 3 });
    }
    const stream = await store.readStream('race-1');
    expect(stream.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
    const outbox = await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".outbox`);
    expect(outbox[0].n).toBe(0);
  });

  it('refuses an expected version the stream has not reached, instead of leaving a gap', async () => {
    await expect(
      store.append('gap-1', 'Tally', 4, [{ type: 'Added', payload: { amount: 1 } }]),
    ).rejects.toMatchObject({
      name: 'VersionConflictError',
      currentVersion: 0,
    });
    expect(await store.readStream('gap-1')).toEqual([]);
  });

  it('writes one outbox row per routed event and rolls everything back when an inline projector fails', async () => {
    await store.append(
      'routed-1',
      'Tally',
      0,
      [
        { type: 'Added', payload: { amount: 1 } },
        { type: 'Doubled', payload: {} },
      ],
      {
        topic: (envelope) => (envelope.type === 'Added' ? 'tally.events' : undefined),
      },
    );
    const outbox = await db.dataSource.query(
      `SELECT topic, key, envelope::jsonb AS envelope FROM "${db.schema}".outbox WHERE key = 'routed-1'`,
    );
    expect(outbox).toEqual([
      {
        topic: 'tally.events',
        key: 'routed-1',
        envelope: expect.objectContaining({ type: 'Added', streamVersion: 1 }),
      },
    ]);

    const failing = async () => {
      throw new Error('projection broke');
    };
    await expect(
      store.append('routed-2', 'Tally', 0, [{ type: 'Added', payload: { amount: 1 } }], {
        topic: 'tally.events',
        inlineProjectors: [failing],
      }),
    ).rejects.toThrow('projection broke');
    expect(await store.readStream('routed-2')).toEqual([]);
    expect(await db.dataSource.query(`SELECT 1 FROM "${db.schema}".outbox WHERE key = 'routed-2'`)).toEqual(
      [],
    );
  });

  it("queues the messages an event causes in the append itself, after the event's own row, and nothing on a conflict", async () => {
    const outgoing = (event: Envelope) =>
      event.type === 'Added'
        ? [
            {
              topic: 'tally.public',
              key: `public-${event.streamId}`,
              type: 'TallyGrew',
              payload: event.payload,
            },
          ]
        : [];
    const context = { correlationId: 'corr-out', messageId: 'cause-out', userId: 'user-out' };
    await runInMessageContext(context, () =>
      store.append(
        'out-1',
        'Tally',
        0,
        [
          { type: 'Added', payload: { amount: 2 } },
          { type: 'Doubled', payload: {} },
          { type: 'Added', payload: { amount: 3 } },
        ],
        { topic: 'tally.events', outgoing },
      ),
    );
    const queued: { topic: string; key: string; envelope: Envelope }[] = await db.dataSource.query(
      `SELECT topic, key, envelope::jsonb AS envelope FROM "${db.schema}".outbox
       WHERE key IN ('out-1', 'public-out-1') ORDER BY id`,
    );
    expect(queued.map(({ topic, key, envelope }) => [topic, key, envelope.type])).toEqual([
      ['tally.events', 'out-1', 'Added'],
      ['tally.public', 'public-out-1', 'TallyGrew'],
      ['tally.events', 'out-1', 'Doubled'],
      ['tally.events', 'out-1', 'Added'],
      ['tally.public', 'public-out-1', 'TallyGrew'],
    ]);
    expect(queued[1].envelope).toMatchObject({
      streamId: 'public-out-1',
      payload: { amount: 2 },
      correlationId: 'corr-out',
      causationId: 'cause-out',
      userId: 'user-out',
    });

    await expect(
      store.append('out-1', 'Tally', 1, [{ type: 'Added', payload: { amount: 9 } }], { outgoing }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    await expect(
      store.append('out-2', 'Tally', 5, [{ type: 'Added', payload: { amount: 9 } }], { outgoing }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    const after = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".outbox WHERE key IN ('public-out-1', 'public-out-2')`,
    );
    expect(after).toEqual([{ n: 2 }]);
  });

  it("wakes the relay from inside a caller's transaction only once that transaction commits", async () => {
    const listener = new Client({ connectionString: db.databaseUrl });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (notification) => heard.push(notification.payload ?? ''));
    const channel = outboxChannel(db.schema);
    await listener.query(`LISTEN "${channel}"`);
    // Notifications arrive in commit order, so a marker sent last shows everything sent before it.
    const heardUntilMarker = async () => {
      await db.dataSource.query(`SELECT pg_notify($1, 'marker')`, [channel]);
      await new Promise<void>((resolve) => {
        const check = () => (heard.includes('marker') ? resolve() : setTimeout(check, 10));
        check();
      });
      return heard.splice(0);
    };
    const appendIn = (manager: EntityManager, streamId: string) =>
      store.append(streamId, 'Tally', 0, [{ type: 'Added', payload: { amount: 1 } }], {
        topic: 'tally.events',
        manager,
      });
    try {
      await expect(
        db.dataSource.transaction(async (manager) => {
          await appendIn(manager, 'wake-1');
          throw new Error('caller rolls back');
        }),
      ).rejects.toThrow('caller rolls back');
      await expect(
        db.dataSource.transaction(async (manager) => {
          await manager.query('SAVEPOINT attempt');
          await appendIn(manager, 'wake-2');
          await manager.query('ROLLBACK TO SAVEPOINT attempt');
        }),
      ).resolves.toBeUndefined();
      expect(await heardUntilMarker()).toEqual(['marker']);

      await db.dataSource.transaction((manager) => appendIn(manager, 'wake-3'));
      expect(await heardUntilMarker()).toEqual(['', 'marker']);
    } finally {
      await listener.end();
    }
  });

  it('reads the snapshot and only the events after it in one go', async () => {
    await store.append('read-1', 'Tally', 0, [
      { type: 'Added', payload: { amount: 1 } },
      { type: 'Added', payload: { amount: 2 } },
      { type: 'Doubled', payload: {} },
    ]);
    expect(await store.readFromSnapshot('read-1', 1)).toEqual({
      snapshot: undefined,
      events: [
        { type: 'Added', streamVersion: 1, payload: { amount: 1 } },
        { type: 'Added', streamVersion: 2, payload: { amount: 2 } },
        { type: 'Doubled', streamVersion: 3, payload: {} },
      ],
    });
    await store.saveSnapshot({
      streamId: 'read-1',
      version: 2,
      state: { total: 3, operations: 2 },
      schemaVersion: 1,
    });
    expect(await store.readFromSnapshot('read-1', 1)).toEqual({
      snapshot: { version: 2, state: { total: 3, operations: 2 } },
      events: [{ type: 'Doubled', streamVersion: 3, payload: {} }],
    });
    expect((await store.readFromSnapshot('read-1', 2)).events).toHaveLength(3);
    expect(await store.readFromSnapshot('read-none', 1)).toEqual({ snapshot: undefined, events: [] });
  });

  it('reads an upcast old event as the newest schema version', async () => {
    const upcasting = new EventStore({
      dataSource: db.dataSource,
      schema: db.schema,
      upcasters: [
        {
          type: 'PriceSet',
          fromSchemaVersion: 1,
          upcast: (p) => ({ cents: (p as { dollars: number }).dollars * 100 }),
        },
        { type: 'PriceSet', fromSchemaVersion: 2, upcast: (p) => ({ ...(p as object), currency: 'USD' }) },
      ],
    });
    await store.append('price-1', 'Price', 0, [
      { type: 'PriceSet', schemaVersion: 1, payload: { dollars: 4 } },
    ]);
    await store.append('price-1', 'Price', 1, [
      { type: 'PriceSet', schemaVersion: 3, payload: { cents: 7, currency: 'EUR' } },
    ]);
    const events = await upcasting.readStream('price-1');
    expect(events.map(({ schemaVersion, payload }) => ({ schemaVersion, payload }))).toEqual([
      { schemaVersion: 3, payload: { cents: 400, currency: 'USD' } },
      { schemaVersion: 3, payload: { cents: 7, currency: 'EUR' } },
    ]);
    const all = await upcasting.readAll(0, 10_000);
    expect(all.find((stored) => stored.envelope.streamId === 'price-1')?.envelope.payload).toEqual({
      cents: 400,
      currency: 'USD',
    });
  });

  it('takes metadata from the message context and appends inside a caller transaction', async () => {
    const context = { correlationId: 'corr-ctx', messageId: 'cause-1', userId: 'user-9' };
    await db.dataSource.transaction((manager) =>
      runInMessageContext(context, () =>
        store.append('ctx-1', 'Tally', 0, [{ type: 'Added', payload: { amount: 1 } }], { manager }),
      ),
    );
    const [event] = await store.readStream('ctx-1');
    expect(event).toMatchObject({ correlationId: 'corr-ctx', causationId: 'cause-1', userId: 'user-9' });
  });
});
