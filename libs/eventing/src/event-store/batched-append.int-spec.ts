import type { EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { prepared, queryPrepared } from '../postgres/prepared-statement';
import { createTestEventStore, type TestSchema } from '../testing';
import type { EventStore } from './event-store';
import type { AppendOptions } from './event-store.types';
import { VersionConflictError } from './version-conflict.error';

// The append and its batchable projections in one round trip, as one implicit transaction: all or nothing.
describe('an append with batchable projectors (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;
  let options: AppendOptions;

  const note = (text: string) => ({ type: 'Noted', payload: { text } });
  const rows = (sql: string) => db.dataSource.query(sql.replaceAll('$schema', `"${db.schema}"`));

  beforeAll(async () => {
    ({ store, ...db } = await createTestEventStore());
    await rows(`CREATE TABLE $schema.notes (stream_id text, version int, text text, PRIMARY KEY (stream_id, version));
      CREATE TABLE $schema.note_counts (stream_id text PRIMARY KEY, notes int NOT NULL CHECK (notes < 5))`);
    const record = prepared('test_note', `INSERT INTO "${db.schema}".notes VALUES ($1, $2, $3)`);
    const count = prepared(
      'test_count',
      `INSERT INTO "${db.schema}".note_counts VALUES ($1, 1)
       ON CONFLICT (stream_id) DO UPDATE SET notes = note_counts.notes + 1`,
    );
    const project = async (envelope: Envelope, manager: EntityManager) => {
      const { text } = envelope.payload as { text: string };
      await queryPrepared(manager, record, [envelope.streamId, envelope.streamVersion, text]);
      await queryPrepared(manager, count, [envelope.streamId]);
    };
    options = { topic: 'notes', inlineProjectors: [project], batchableProjectors: true };
  });
  afterAll(() => db.drop());

  it('commits the events, their outbox rows and every projection, values as they were given', async () => {
    const texts = [`it's`, 'a \\ back\\slash', '{"json": "\\"quoted\\""}', 'ünï'];
    await store.append('s-1', 'Note', 0, texts.slice(0, 2).map(note), options);
    await store.append('s-1', 'Note', 2, texts.slice(2).map(note), options);

    expect(
      await rows(`SELECT version, text FROM $schema.notes WHERE stream_id = 's-1' ORDER BY version`),
    ).toEqual(texts.map((text, index) => ({ version: index + 1, text })));
    expect(await rows(`SELECT notes FROM $schema.note_counts WHERE stream_id = 's-1'`)).toEqual([
      { notes: 4 },
    ]);
    expect((await store.readStream('s-1')).map((event) => event.payload)).toEqual(
      texts.map((text) => ({ text })),
    );
    expect(await rows(`SELECT count(*)::int AS queued FROM $schema.outbox WHERE key = 's-1'`)).toEqual([
      { queued: 4 },
    ]);
  });

  it('a version lost to another writer leaves nothing of the loser', async () => {
    await store.append('s-2', 'Note', 0, [note('first')], options);
    await expect(store.append('s-2', 'Note', 0, [note('second')], options)).rejects.toThrow(
      VersionConflictError,
    );

    expect(await rows(`SELECT version, text FROM $schema.notes WHERE stream_id = 's-2'`)).toEqual([
      { version: 1, text: 'first' },
    ]);
    expect(await rows(`SELECT count(*)::int AS queued FROM $schema.outbox WHERE key = 's-2'`)).toEqual([
      { queued: 1 },
    ]);
  });

  it('an append at a version the stream has not reached projects nothing', async () => {
    const refused = store.append('s-3', 'Note', 7, [note('after a gap')], options);

    await expect(refused).rejects.toThrow(VersionConflictError);
    expect(await rows(`SELECT * FROM $schema.notes WHERE stream_id = 's-3'`)).toEqual([]);
    expect(await rows(`SELECT * FROM $schema.events WHERE stream_id = 's-3'`)).toEqual([]);
  });

  it('a projection that fails undoes the append, and the connections go on serving appends', async () => {
    const five = ['1', '2', '3', '4', '5'].map(note);
    await expect(store.append('s-4', 'Note', 0, five, options)).rejects.toThrow(/note_counts_notes_check/);
    expect(await rows(`SELECT * FROM $schema.events WHERE stream_id = 's-4'`)).toEqual([]);

    for (let version = 0; version < 4; version += 1)
      await store.append('s-4', 'Note', version, [note(`again ${version}`)], options);
    expect(await rows(`SELECT notes FROM $schema.note_counts WHERE stream_id = 's-4'`)).toEqual([
      { notes: 4 },
    ]);
  });
});
