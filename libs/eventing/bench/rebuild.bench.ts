import { EventStore } from '../src/event-store/event-store';
import type { InlineProjector } from '../src/event-store/event-store.types';
import { migrateEventing } from '../src/migrations/eventing-migrations';
import { prepared, queryPrepared } from '../src/postgres/prepared-statement';
import type { StoreProjection } from '../src/projections/projection-registration';
import { rebuildProjection } from '../src/projections/rebuild-projection';
import { createTestSchema } from '../src/testing';

// `npm run bench:rebuild`: rebuilds a projection of REBUILD_BENCH_EVENTS events (1,000,000 by default)
// with a live swap. Target: at least 20,000 events/s on 2 cores (docs/performance.md).
const EVENTS = Number(process.env.REBUILD_BENCH_EVENTS ?? 1_000_000);
const STREAMS = Math.max(1, Math.round(EVENTS / 20));
const TARGET = 20_000;

/** One prepared upsert per event, as the services' inline projectors do: an account row with its version. */
function accountProjector(schema: string): InlineProjector {
  const upsert = prepared(
    'bench_accounts',
    `INSERT INTO "${schema}".accounts (account_id, balance_cents, version, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id) DO UPDATE SET balance_cents = accounts.balance_cents + $2, version = $3, updated_at = $4`,
  );
  return async (envelope, manager) => {
    const { amountCents } = envelope.payload as { amountCents: number };
    await queryPrepared(manager, upsert, [
      envelope.streamId,
      amountCents,
      envelope.streamVersion,
      envelope.occurredAt,
    ]);
  };
}

const accounts: StoreProjection = {
  source: 'event-store',
  service: 'bench',
  name: 'accounts',
  streamTypes: ['Account'],
  tables: [{ name: 'accounts', streamOf: 'account_id', versionColumn: 'version' }],
  projector: accountProjector,
  batchable: true,
};

async function main(): Promise<void> {
  const db = await createTestSchema('bench_rebuild');
  try {
    await migrateEventing(db.dataSource, db.schema);
    const s = `"${db.schema}"`;
    await db.dataSource.query(
      `CREATE TABLE ${s}.accounts (account_id text PRIMARY KEY, balance_cents bigint NOT NULL, version int NOT NULL,
         updated_at timestamptz NOT NULL)`,
    );
    // Stored as the command path stores them (stream ids, versions, envelopes), written in bulk to save the wait.
    await db.dataSource.query(
      `INSERT INTO ${s}.events (stream_id, stream_type, version, message_id, type, schema_version, payload, metadata, occurred_at)
       SELECT 'account-' || (n % $2), 'Account', n / $2 + 1, gen_random_uuid(), 'Deposited', 1,
              jsonb_build_object('amountCents', n % 1000), jsonb_build_object('correlationId', gen_random_uuid()),
              now() - interval '1 day' + n * interval '1 millisecond'
       FROM generate_series(0, $1 - 1) AS n`,
      [EVENTS, STREAMS],
    );
    await db.dataSource.query(
      `INSERT INTO ${s}.accounts SELECT stream_id, sum((payload->>'amountCents')::bigint), max(version), max(occurred_at)
       FROM ${s}.events GROUP BY stream_id`,
    );
    const store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
    const result = await rebuildProjection({ store, projection: accounts });
    const verdict = result.eventsPerSecond >= TARGET ? 'meets' : 'below';
    console.log(
      `rebuild of ${result.events.toLocaleString('en-US')} events into ${STREAMS.toLocaleString('en-US')} rows: ` +
        `${result.eventsPerSecond.toLocaleString('en-US')} events/s (${verdict} the ${TARGET.toLocaleString('en-US')}/s target), ` +
        `${(result.durationMs / 1000).toFixed(1)} s, writes paused ${result.writesPausedMs} ms for the swap`,
    );
  } finally {
    await db.drop();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
