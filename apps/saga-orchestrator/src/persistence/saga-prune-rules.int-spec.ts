import { TablePruner } from '@tradecore/eventing';
import { createTestSchema, type TestSchema } from '@tradecore/eventing/testing';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { migratedOrchestratorTables } from './migrations/orchestrator-migrations';
import { sagaPruneRules } from './saga-prune-rules';

const BATCH = 10;

describe("the orchestrator's pruned tables (PostgreSQL)", () => {
  let db: TestSchema;
  let tables: DataSource;
  let s: string;

  beforeAll(async () => {
    db = await createTestSchema('prune');
    s = `"${db.schema}"`;
    tables = await migratedOrchestratorTables(db.databaseUrl, db.schema);
  });
  afterAll(async () => {
    await tables.destroy();
    await db.drop();
  });

  const prune = () =>
    new TablePruner({
      dataSource: tables,
      rules: sagaPruneRules(db.schema, { traceDays: 7, stepLogDays: 30, dlqMessageDays: 30 }),
      intervalMs: 60_000,
      batchSize: BATCH,
      isLeader: () => true,
    }).pruneOnce();

  /** A saga in `status`, started `startedDaysAgo` and finished `finishedDaysAgo` days ago (null: not finished), with `steps` log rows. */
  const saga = async (
    status: string,
    startedDaysAgo: number,
    finishedDaysAgo: number | null,
    steps: number,
  ) => {
    const id = uuidv7();
    await tables.query(
      `INSERT INTO ${s}.saga_instance (id, saga_type, aggregate_id, status, state, trigger_type, trigger_message_id,
         correlation_id, created_at, updated_at, finished_at)
       VALUES ($1::uuid, 'ConnectBroker', $1::text, $2, '{}', 'ConnectionRequested', $1::text, $1::text,
         now() - $3 * interval '1 day', now() - $3 * interval '1 day',
         CASE WHEN $4::int IS NULL THEN NULL ELSE now() - $4::int * interval '1 day' END)`,
      [id, status, startedDaysAgo, finishedDaysAgo],
    );
    await tables.query(
      `INSERT INTO ${s}.saga_step_log (saga_id, step, phase, attempt, event, at)
       SELECT $1, 'step-' || n, 'forward', 1, 'sent', now() - $2 * interval '1 day' FROM generate_series(1, $3) n`,
      [id, startedDaysAgo, steps],
    );
    return id;
  };

  const stepsOf = async (sagaId: string) =>
    (await tables.query(`SELECT count(*)::int AS n FROM ${s}.saga_step_log WHERE saga_id = $1`, [sagaId]))[0]
      .n;

  const traces = (count: number, daysAgo: number, prefix: string) =>
    tables.query(
      `INSERT INTO ${s}.trace_entry (kind, message_id, type, topic, correlation_id, occurred_at, seen_at)
       SELECT 'processed', $1 || n, 'MessageProcessed', 'ops.telemetry', 'c', now() - $2 * interval '1 day',
              now() - $2 * interval '1 day'
       FROM generate_series(1, $3) n`,
      [prefix, daysAgo, count],
    );

  const letters = (count: number, status: string, receivedDaysAgo: number, resolvedDaysAgo: number | null) =>
    tables.query(
      `INSERT INTO ${s}.dlq_message (dlq_topic, partition, "offset", original_topic, message_id, headers, status,
         received_at, resolved_at)
       SELECT 'tally.events.dlq', 0, gen_random_uuid()::text, 'tally.events', $1 || n, '{}', $1,
              now() - $2 * interval '1 day',
              CASE WHEN $3::int IS NULL THEN NULL ELSE now() - $3::int * interval '1 day' END
       FROM generate_series(1, $4) n`,
      [status, receivedDaysAgo, resolvedDaysAgo, count],
    );

  it('deletes old traces, step logs of sagas finished long ago and resolved dead letters; keeps what is still live', async () => {
    const completedLongAgo = await saga('COMPLETED', 45, 40, 2 * BATCH + 4);
    const abortedLongAgo = await saga('ABORTED', 50, 35, 3);
    const compensatedLately = await saga('COMPENSATED', 40, 2, 5);
    const runningForWeeks = await saga('RUNNING', 60, null, 7);
    const compensatingForWeeks = await saga('COMPENSATING', 60, null, 4);
    await traces(3 * BATCH + 2, 8, 'old-');
    await traces(6, 1, 'recent-');
    await letters(BATCH + 1, 'replayed', 90, 40);
    await letters(2, 'discarded', 90, 31);
    await letters(3, 'pending', 120, null);
    await letters(2, 'replayed', 90, 3);

    expect(await prune()).toEqual({
      trace_entry: 3 * BATCH + 2,
      saga_step_log: 2 * BATCH + 4 + 3,
      dlq_message: BATCH + 1 + 2,
    });

    expect(await stepsOf(completedLongAgo)).toBe(0);
    expect(await stepsOf(abortedLongAgo)).toBe(0);
    expect(await stepsOf(compensatedLately)).toBe(5);
    expect(await stepsOf(runningForWeeks)).toBe(7);
    expect(await stepsOf(compensatingForWeeks)).toBe(4);
    expect((await tables.query(`SELECT count(*)::int AS n FROM ${s}.saga_instance`))[0].n).toBe(5);
    expect(await tables.query(`SELECT DISTINCT left(message_id, 7) AS prefix FROM ${s}.trace_entry`)).toEqual(
      [{ prefix: 'recent-' }],
    );
    expect(
      await tables.query(
        `SELECT status, count(*)::int AS n FROM ${s}.dlq_message GROUP BY status ORDER BY status`,
      ),
    ).toEqual([
      { status: 'pending', n: 3 },
      { status: 'replayed', n: 2 },
    ]);
    expect(await prune()).toEqual({ trace_entry: 0, saga_step_log: 0, dlq_message: 0 });
  });
});
