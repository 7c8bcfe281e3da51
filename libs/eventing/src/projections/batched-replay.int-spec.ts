import type { Envelope } from '../envelope/envelope';
import { EventStore } from '../event-store/event-store';
import type { InlineProjector } from '../event-store/event-store.types';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from '../testing';
import { checkProjectionDrift } from './projection-drift';
import type { ProjectedTable, StoreProjection } from './projection-registration';
import { rebuildProjection } from './rebuild-projection';

/** Every kind of value a projector hands pg, so the batch's literals are checked against pg's own parameters. */
function noteProjector(schema: string): InlineProjector {
  return async (envelope: Envelope, manager) => {
    const { body, tags } = envelope.payload as { body: string | null; tags: string[] };
    await manager.query(
      `INSERT INTO "${schema}".notes (note_id, body, tags, meta, at, blob, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (note_id) DO UPDATE SET body = $2, tags = $3, meta = notes.meta || $4, at = $5, blob = $6,
         version = $7, edits = notes.edits + 1`,
      [
        envelope.streamId,
        body,
        tags,
        { version: envelope.streamVersion, quoted: 'it\'s \\ "so"', nested: [1, null] },
        new Date(envelope.occurredAt),
        Buffer.from([0, 39, 92, envelope.streamVersion]),
        envelope.streamVersion,
      ],
    );
  };
}

const notes = (batchable: boolean, projector = noteProjector): StoreProjection => ({
  source: 'event-store',
  service: 'sample',
  name: 'notes',
  streamTypes: ['Note'],
  tables: [{ name: 'notes', streamOf: 'note_id', versionColumn: 'version' }],
  projector,
  batchable,
});

/** A receipt's row is inserted by its own stream and decided by its owner's, as automation's signals are. */
function receiptProjector(schema: string): InlineProjector {
  return async (envelope, manager) => {
    const payload = envelope.payload as { ownerId?: string; receiptId?: string };
    if (envelope.type === 'Received')
      await manager.query(
        `INSERT INTO "${schema}".receipts (receipt_id, owner_id, status) VALUES ($1, $2, 'RECEIVED')`,
        [envelope.streamId, payload.ownerId],
      );
    else
      await manager.query(`UPDATE "${schema}".receipts SET status = 'DECIDED' WHERE receipt_id = $1`, [
        payload.receiptId,
      ]);
  };
}

const receipts = (table: ProjectedTable): StoreProjection => ({
  source: 'event-store',
  service: 'sample',
  name: 'receipts',
  streamTypes: ['Receipt', 'Owner'],
  tables: [table],
  projector: receiptProjector,
  batchable: true,
});

describe('batched replay (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;
  const rows = async (table: string) =>
    (await db.dataSource.query(`SELECT * FROM "${db.schema}".${table} ORDER BY 1`)).map((row: object) =>
      JSON.stringify(row),
    );

  beforeAll(async () => {
    db = await createTestSchema('batched_replay');
    await migrateEventing(db.dataSource, db.schema);
    store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
    await db.dataSource.query(`
      CREATE TABLE "${db.schema}".notes (note_id text PRIMARY KEY, body text, tags text[] NOT NULL,
        meta jsonb NOT NULL, at timestamptz NOT NULL, blob bytea NOT NULL, version int NOT NULL,
        edits int NOT NULL DEFAULT 0);
      CREATE TABLE "${db.schema}".receipts (receipt_id text PRIMARY KEY, owner_id text NOT NULL, status text NOT NULL)`);
    for (let i = 0; i < 120; i += 1) {
      const noteId = `note-${i % 30}`;
      const body =
        i % 11 === 0 ? null : `line ${i}: it's a \\back\\slash, a "quote" and ünïcode; -- not a comment`;
      await store.append(
        noteId,
        'Note',
        Math.floor(i / 30),
        [{ type: 'Noted', payload: { body, tags: [`t${i}`, 'with space', 'a,b', 'q"uote'] } }],
        { inlineProjectors: [noteProjector(db.schema)] },
      );
    }
  });
  afterAll(() => db.drop());

  it('rebuilds the rows the live path wrote, value for value, sending statements a page at a time', async () => {
    const before = await rows('notes');
    const result = await rebuildProjection({ store, projection: notes(true), batchSize: 7 });
    expect(result).toMatchObject({ events: 120, tables: [expect.objectContaining({ rows: 30 })] });
    expect(await rows('notes')).toEqual(before);
    expect(await checkProjectionDrift(store, notes(true), 1000)).toMatchObject({ drifted: false });
    expect(await checkProjectionDrift(store, notes(false), 1000)).toMatchObject({ drifted: false });
  });

  it('refuses a batched projector that reads through its manager, and leaves the live rows as they were', async () => {
    const before = await rows('notes');
    const reading = notes(true, () => async (_envelope, manager) => {
      await manager.getRepository('notes').count();
    });
    await expect(rebuildProjection({ store, projection: reading })).rejects.toThrow(
      /batched projector may only call query\(\)/,
    );
    expect(await rows('notes')).toEqual(before);
  });

  it('replays the other stream that writes a row before comparing it, in store order', async () => {
    for (let i = 0; i < 20; i += 1) {
      const owner = `owner-${i % 4}`;
      await store.append(`receipt-${i}`, 'Receipt', 0, [{ type: 'Received', payload: { ownerId: owner } }], {
        inlineProjectors: [receiptProjector(db.schema)],
      });
      if (i % 3 === 0) continue;
      const version = await store.currentVersion(owner);
      await store.append(
        owner,
        'Owner',
        version,
        [{ type: 'Decided', payload: { receiptId: `receipt-${i}` } }],
        {
          inlineProjectors: [receiptProjector(db.schema)],
        },
      );
    }
    const alone = receipts({ name: 'receipts', streamOf: 'receipt_id' });
    const withOwner = receipts({ name: 'receipts', streamOf: 'receipt_id', alsoWrittenBy: 'owner_id' });
    const verdicts = async (projection: StoreProjection) => {
      const drifted: boolean[] = [];
      for (let run = 0; run < 30; run += 1)
        drifted.push((await checkProjectionDrift(store, projection, 1)).drifted);
      return drifted;
    };
    // A decided receipt sampled without its owner's stream reads as RECEIVED replayed, DECIDED live: the false alarm.
    expect(await verdicts(alone)).toContain(true);
    expect(await verdicts(withOwner)).not.toContain(true);
    expect(await checkProjectionDrift(store, withOwner, 1000)).toMatchObject({
      drifted: false,
      rowsDiffering: 0,
    });
    await db.dataSource.query(
      `UPDATE "${db.schema}".receipts SET status = 'RECEIVED' WHERE receipt_id = 'receipt-5'`,
    );
    expect(await checkProjectionDrift(store, withOwner, 1000)).toMatchObject({
      drifted: true,
      rowsDiffering: 2,
      differingStreams: ['receipt-5'],
    });
    await rebuildProjection({ store, projection: withOwner });
    expect(await checkProjectionDrift(store, withOwner, 1000)).toMatchObject({ drifted: false });
  });
});
