import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { personalFields } from '@tradecore/contracts';
import {
  checkProjectionDrift,
  EventStore,
  migrateEventing,
  PersonalData,
  prepareServiceDatabase,
  projectionNamed,
  rebuildProjection,
  RebuildRuns,
  type ProjectionRegistration,
} from '@tradecore/eventing';
import { AUTOMATION_PROJECTIONS } from '../apps/automation/src/projections/automation.projections';
import { BROKER_ACCOUNT_PROJECTIONS } from '../apps/broker-account/src/projections/broker-account.projections';
import { BROKER_CONNECTION_PROJECTIONS } from '../apps/broker-connection/src/projections/broker-connection.projections';
import { VIRTUAL_BROKER_PROJECTIONS } from '../apps/virtual-broker/src/projections/virtual-broker.projections';

// `npm run rebuild -- --service S --projection P [--check]`: rebuilds one read model from its
// service's event store with a live swap, the same as POST /ops/projections/S/P/rebuild, or with
// --check only reports drift. Connects as the service would (DATABASE_URL, DATABASE_ADMIN_URL).
const SERVICES: Record<string, readonly ProjectionRegistration[]> = {
  'broker-connection': BROKER_CONNECTION_PROJECTIONS,
  'broker-account': BROKER_ACCOUNT_PROJECTIONS,
  'virtual-broker': VIRTUAL_BROKER_PROJECTIONS,
  automation: AUTOMATION_PROJECTIONS,
};

const { values: args } = parseArgs({
  options: {
    service: { type: 'string' },
    projection: { type: 'string' },
    schema: { type: 'string' },
    check: { type: 'boolean', default: false },
  },
});

function usage(problem: string): never {
  const known = Object.entries(SERVICES)
    .map(
      ([service, projections]) =>
        `  ${service}: ${projections.map((p) => `${p.name} (${p.source})`).join(', ')}`,
    )
    .join('\n');
  console.error(
    `${problem}\nusage: npm run rebuild -- --service S --projection P [--check] [--schema name]\n${known}`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const registrations =
    SERVICES[args.service ?? ''] ?? usage(`--service: unknown service "${args.service ?? ''}"`);
  const projection =
    projectionNamed(registrations, args.projection ?? '') ??
    usage(`--projection: ${args.service} has no projection "${args.projection ?? ''}"`);
  if (projection.source === 'kafka')
    usage(`${projection.name} follows ${projection.topic}: rewind group ${projection.consumerGroup} instead`);
  const schema = args.schema ?? args.service!.replace(/-/g, '_');
  const url = await prepareServiceDatabase(schema, {
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tradecore',
    DATABASE_ADMIN_URL: process.env.DATABASE_ADMIN_URL,
    DATABASE_PASSWORD: process.env.DATABASE_PASSWORD,
  });
  const dataSource = new DataSource({ type: 'postgres', url, applicationName: 'tradecore-rebuild' });
  await dataSource.initialize();
  try {
    await migrateEventing(dataSource, schema);
    const personalData = new PersonalData({ dataSource, schema, fields: personalFields });
    const store = new EventStore({ dataSource, schema, personalData });
    if (args.check) {
      console.log(JSON.stringify(await checkProjectionDrift(store, projection, 100_000), null, 2));
      return;
    }
    const runs = new RebuildRuns(dataSource, schema);
    let runId: string | undefined;
    const ticker = setInterval(() => {
      if (!runId) return;
      void runs.get(runId).then((run) => {
        if (run)
          console.log(
            `${run.phase}: ${run.eventsDone}/${run.eventsTotal} events, ${run.eventsPerSecond ?? '-'}/s, ETA ${run.etaSeconds ?? '-'} s`,
          );
      });
    }, 1000);
    try {
      const result = await rebuildProjection({ store, projection, onStarted: (id) => (runId = id) });
      console.log(
        `rebuilt ${schema}.${projection.name} (run ${result.runId}): ${result.events} events in ${Math.round(result.durationMs)} ms, ` +
          `${result.eventsPerSecond} events/s, writes paused ${result.writesPausedMs} ms`,
      );
      for (const table of result.tables)
        console.log(`  ${table.table}: ${table.rows} rows, checksum ${table.checksum}`);
    } finally {
      clearInterval(ticker);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  console.error(`rebuild failed, live tables untouched: ${error.message}`);
  process.exit(1);
});
