import { DataSource } from 'typeorm';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { LoopHeartbeats } from '../src/health/loop-heartbeats';
import { migrateEventing } from '../src/migrations/eventing-migrations';
import { boundedConnectionSettings } from '../src/postgres/pg-connection';
import { eventingPruneRules } from '../src/pruning/eventing-prune-rules';
import { TablePruner, type TablePrunerOptions } from '../src/pruning/table-pruner';
import { createTestSchema, type TestSchema } from '../src/testing';
import { eventually } from './eventing-test-kit';

const BATCH = 10;

describe('TablePruner over the eventing tables (PostgreSQL)', () => {
  let db: TestSchema;
  const stoppers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    db = await createTestSchema();
    await migrateEventing(db.dataSource, db.schema);
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await db.drop();
  });

  const pruner = (options: Partial<TablePrunerOptions> = {}) => {
    const made = new TablePruner({
      dataSource: db.dataSource,
      rules: eventingPruneRules(db.schema, { inboxDays: 30, deadLettersDays: 30 }),
      intervalMs: 50,
      batchSize: BATCH,
      isLeader: () => true,
      ...options,
    });
    stoppers.push(() => made.stop());
    return made;
  };

  /** `count` inbox rows handled `daysAgo` days ago, ids prefixed `prefix`. */
  const handled = (prefix: string, count: number, daysAgo: number) =>
    db.dataSource.query(
      `INSERT INTO "${db.schema}".inbox (consumer, message_id, handled_at)
       SELECT 'tally', $1 || n, now() - $2 * interval '1 day' FROM generate_series(1, $3) n`,
      [prefix, daysAgo, count],
    );

  /** `count` dead letters failed `daysAgo` days ago, replayed `replayedDaysAgo` days ago or still pending (null). */
  const deadLetters = (prefix: string, count: number, daysAgo: number, replayedDaysAgo: number | null) =>
    db.dataSource.query(
      `INSERT INTO "${db.schema}".dead_letters
         (topic, partition, "offset", consumer, message_id, error, attempts, headers, first_failed_at, created_at, replayed_at)
       SELECT 'tally.events', 0, n::text, 'tally', $1 || n, 'boom', 5, '{}',
              now() - $2 * interval '1 day', now() - $2 * interval '1 day',
              CASE WHEN $3::int IS NULL THEN NULL ELSE now() - $3::int * interval '1 day' END
       FROM generate_series(1, $4) n`,
      [prefix, daysAgo, replayedDaysAgo, count],
    );

  const ids = async (table: 'inbox' | 'dead_letters') =>
    (
      (await db.dataSource.query(`SELECT message_id FROM "${db.schema}".${table} ORDER BY message_id`)) as {
        message_id: string;
      }[]
    ).map((row) => row.message_id);

  const prefixes = (messageIds: string[]) => [...new Set(messageIds.map((id) => id.replace(/\d+$/, '')))];

  it('deletes, batch after batch, only the inbox rows and replayed dead letters older than their age', async () => {
    await handled('old-', 4 * BATCH + 3, 40);
    await handled('recent-', 5, 2);
    await deadLetters('replayed-long-ago-', 2 * BATCH + 1, 60, 45);
    await deadLetters('pending-', 3, 90, null);
    await deadLetters('failed-long-ago-replayed-lately-', 2, 60, 1);

    const pruned = await pruner().pruneOnce();

    expect(pruned).toEqual({ inbox: 4 * BATCH + 3, dead_letters: 2 * BATCH + 1 });
    expect(prefixes(await ids('inbox'))).toEqual(['recent-']);
    expect((await ids('inbox')).length).toBe(5);
    expect(prefixes(await ids('dead_letters')).sort()).toEqual([
      'failed-long-ago-replayed-lately-',
      'pending-',
    ]);
    expect((await ids('dead_letters')).length).toBe(5);
    expect(await pruner().pruneOnce()).toEqual({ inbox: 0, dead_letters: 0 });
  });

  it('keeps a table whole when its age is 0', async () => {
    await handled('old-', 15, 400);
    await deadLetters('replayed-', 3, 400, 400);

    const pruned = await pruner({
      rules: eventingPruneRules(db.schema, { inboxDays: 0, deadLettersDays: 30 }),
    }).pruneOnce();

    expect(pruned).toEqual({ dead_letters: 3 });
    expect((await ids('inbox')).length).toBe(15);
  });

  it('on its schedule, prunes on the leading replica only', async () => {
    await handled('old-', 25, 40);
    let leading = false;
    let asked = 0;
    const heartbeats = new LoopHeartbeats(60_000);
    const isLeader = () => {
      asked += 1;
      return leading;
    };
    pruner({ isLeader, heartbeat: heartbeats.of('table-pruner') }).start();

    await eventually(() => asked >= 3);
    expect((await ids('inbox')).length).toBe(25);

    leading = true;
    await eventually(async () => (await ids('inbox')).length === 0);
    expect(heartbeats.stalled()).toEqual([]);
    expect(heartbeats.names()).toEqual(['table-pruner']);
  });

  it('goes on pruning once PostgreSQL answers again after an outage', async () => {
    const front = await TcpProxy.inFrontOf(db.databaseUrl);
    stoppers.push(async () => {
      await front.proxy.start();
      await proxied.destroy().catch(() => undefined);
      await front.proxy.stop();
    });
    const proxied = new DataSource({
      type: 'postgres',
      url: front.url,
      extra: boundedConnectionSettings({ connectTimeoutMs: 1000, queryTimeoutMs: 1500 }),
    });
    await proxied.initialize();
    const failures: unknown[] = [];
    const scheduled = pruner({ dataSource: proxied, onError: (error) => failures.push(error) });

    await front.proxy.stop();
    scheduled.start();
    await handled('old-', 25, 40);
    await eventually(() => failures.length >= 2);
    expect((await ids('inbox')).length).toBe(25);

    await front.proxy.start();
    await eventually(async () => (await ids('inbox')).length === 0);
  });
});
