import type { Envelope } from '../envelope/envelope';
import { EventStore } from '../event-store/event-store';
import type { InlineProjector } from '../event-store/event-store.types';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from '../testing';
import { checkProjectionDrift } from './projection-drift';
import type { StoreProjection } from './projection-registration';
import { rebuildProjection } from './rebuild-projection';
import { RebuildRuns } from './rebuild-runs';
import { RebuildInProgressError } from './rebuild-session';

/** Tallies and their entries: one row per stream with its version, one row per event. */
function tallyProjector(schema: string): InlineProjector {
  return async (envelope: Envelope, manager) => {
    const { amount } = envelope.payload as { amount: number };
    await manager.query(
      `INSERT INTO "${schema}".tallies (tally_id, total, version) VALUES ($1, $2, $3)
       ON CONFLICT (tally_id) DO UPDATE SET total = tallies.total + $2, version = $3`,
      [envelope.streamId, amount, envelope.streamVersion],
    );
    await manager.query(
      `INSERT INTO "${schema}".tally_entries (tally_id, version, amount) VALUES ($1, $2, $3)`,
      [envelope.streamId, envelope.streamVersion, amount],
    );
  };
}

const tallies = (projector: (schema: string) => InlineProjector = tallyProjector): StoreProjection => ({
  source: 'event-store',
  service: 'sample',
  name: 'tallies',
  streamTypes: ['Tally'],
  tables: [
    { name: 'tallies', streamOf: 'tally_id', versionColumn: 'version' },
    { name: 'tally_entries', streamOf: 'tally_id' },
  ],
  projector,
});

/** The projector as a rebuild runs it (into pg_temp), with `during` called before each event it projects there. */
const duringRebuild = (during: (seen: number) => Promise<void>) =>
  tallies((schema) => {
    const project = tallyProjector(schema);
    let seen = 0;
    return async (envelope, manager) => {
      if (schema === 'pg_temp') await during(++seen);
      await project(envelope, manager);
    };
  });

describe('rebuildProjection (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;
  const live = tallyProjector;
  const versions = new Map<string, number>();

  const add = async (tallyId: string, amount: number) => {
    const version = versions.get(tallyId) ?? 0;
    versions.set(tallyId, version + 1);
    await store.append(tallyId, 'Tally', version, [{ type: 'Added', payload: { amount } }], {
      inlineProjectors: [live(db.schema)],
    });
  };
  const rows = async (table: string) =>
    (await db.dataSource.query(`SELECT * FROM "${db.schema}".${table}`))
      .map((row: object) => JSON.stringify(row))
      .sort();
  const snapshot = async () => ({ tallies: await rows('tallies'), entries: await rows('tally_entries') });
  const expected = async () =>
    (
      await db.dataSource.query(
        `SELECT stream_id AS tally_id, sum((payload->>'amount')::int)::int AS total, max(version) AS version
         FROM "${db.schema}".events GROUP BY stream_id`,
      )
    )
      .map((row: object) => JSON.stringify(row))
      .sort();
  const tableNames = async () =>
    (
      await db.dataSource.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'tall%' ORDER BY 1`,
        [db.schema],
      )
    ).map((row: { tablename: string }) => row.tablename);

  beforeAll(async () => {
    db = await createTestSchema('rebuild');
    await migrateEventing(db.dataSource, db.schema);
    store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
    await db.dataSource.query(`
      CREATE TABLE "${db.schema}".tallies (tally_id text PRIMARY KEY, total int NOT NULL, version int NOT NULL);
      CREATE TABLE "${db.schema}".tally_entries (tally_id text NOT NULL, version int NOT NULL, amount int NOT NULL,
        PRIMARY KEY (tally_id, version));
      CREATE INDEX tally_entries_amount_idx ON "${db.schema}".tally_entries (amount)`);
    for (let i = 0; i < 300; i += 1) await add(`tally-${i % 40}`, (i % 7) + 1);
  });
  afterAll(() => db.drop());

  it('gives the live rows back, swapped in under the same table and index names', async () => {
    const before = await snapshot();
    const indexes = await db.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY 1`,
      [db.schema],
    );
    const result = await rebuildProjection({ store, projection: tallies(), batchSize: 50 });
    expect(result.events).toBe(300);
    expect(result.tables).toEqual([
      expect.objectContaining({ table: 'tallies', rows: 40 }),
      expect.objectContaining({ table: 'tally_entries', rows: 300 }),
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await tableNames()).toEqual(['tallies', 'tally_entries']);
    expect(
      await db.dataSource.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY 1`, [
        db.schema,
      ]),
    ).toEqual(indexes);
    const [run] = await new RebuildRuns(db.dataSource, db.schema).recent(1);
    expect(run).toMatchObject({ id: result.runId, phase: 'swapped', eventsDone: 300, eventsTotal: 300 });
  });

  it('catches up with events appended while it runs, and the live path writes the swapped-in tables after', async () => {
    const appended: Promise<void>[] = [];
    const projection = duringRebuild(async (seen) => {
      // Appends commit while the replay is under way, on streams both new and replayed already.
      if (seen % 25 === 0) appended.push(add(`tally-${seen % 60}`, 3));
    });
    const result = await rebuildProjection({ store, projection, batchSize: 20 });
    await Promise.all(appended);
    expect(appended.length).toBeGreaterThan(5);
    expect(result.events).toBeGreaterThan(300);
    await add('tally-after-swap', 5);
    expect(await rows('tallies')).toEqual(await expected());
  });

  it('leaves the live tables untouched when the replay fails', async () => {
    const before = await snapshot();
    const failing = duringRebuild(async (seen) => {
      if (seen === 120) throw new Error('projector bug at event 120');
    });
    await expect(rebuildProjection({ store, projection: failing, batchSize: 50 })).rejects.toThrow(
      'projector bug at event 120',
    );
    expect(await snapshot()).toEqual(before);
    const [run] = await new RebuildRuns(db.dataSource, db.schema).recent(1);
    expect(run).toMatchObject({ phase: 'failed', error: 'projector bug at event 120' });
  });

  it('leaves the live tables untouched when the rebuilt rows disagree with the store', async () => {
    const before = await snapshot();
    const skipping = tallies((schema) => {
      const project = tallyProjector(schema);
      return async (envelope, manager) => {
        const last = envelope.streamId === 'tally-3' && envelope.streamVersion === versions.get('tally-3');
        if (schema === 'pg_temp' && last) return;
        await project(envelope, manager);
      };
    });
    await expect(rebuildProjection({ store, projection: skipping })).rejects.toThrow(
      /rebuilt rows of tallies disagree with their stream's version/,
    );
    expect(await snapshot()).toEqual(before);
    expect(await tableNames()).toEqual(['tallies', 'tally_entries']);
  });

  it('refuses a second rebuild of the same projection while one runs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const replaying = new Promise<void>((resolve) => (started = resolve));
    const slow = duringRebuild(async (seen) => {
      if (seen === 1) {
        started();
        await gate;
      }
    });
    const first = rebuildProjection({ store, projection: slow });
    await replaying;
    const second = rebuildProjection({ store, projection: tallies() });
    await expect(second).rejects.toBeInstanceOf(RebuildInProgressError);
    await expect(second).rejects.toMatchObject({ code: 'REBUILD_IN_PROGRESS' });
    release();
    await expect(first).resolves.toMatchObject({ events: expect.any(Number) });
  });

  it('reports a row changed by hand as drift, and a rebuild repairs it', async () => {
    expect(await checkProjectionDrift(store, tallies(), 1000)).toMatchObject({
      drifted: false,
      rowsDiffering: 0,
    });
    await db.dataSource.query(
      `UPDATE "${db.schema}".tallies SET total = total + 1000 WHERE tally_id = 'tally-7'`,
    );
    await db.dataSource.query(
      `UPDATE "${db.schema}".tallies SET version = version - 1 WHERE tally_id = 'tally-8'`,
    );
    const drift = await checkProjectionDrift(store, tallies(), 1000);
    expect(drift).toMatchObject({ drifted: true, rowsOffVersion: 1, rowsDiffering: 4 });
    expect([...drift.differingStreams].sort()).toEqual(['tally-7', 'tally-8']);
    await rebuildProjection({ store, projection: tallies() });
    expect(await checkProjectionDrift(store, tallies(), 1000)).toMatchObject({ drifted: false });
    expect(await rows('tallies')).toEqual(await expected());
  });
});
