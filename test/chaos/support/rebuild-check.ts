import 'reflect-metadata';
import { DataSource, type EntityManager } from 'typeorm';
import { personalFields } from '@tradecore/contracts';
import {
  EventStore,
  PersonalData,
  rebuildProjection,
  type ProjectionRegistration,
  type StoreProjection,
} from '@tradecore/eventing';
import { BROKER_ACCOUNT_PROJECTIONS } from '../../../apps/broker-account/src/projections/broker-account.projections';
import { BROKER_CONNECTION_PROJECTIONS } from '../../../apps/broker-connection/src/projections/broker-connection.projections';
import { VIRTUAL_BROKER_PROJECTIONS } from '../../../apps/virtual-broker/src/projections/virtual-broker.projections';

interface ReadModel {
  readonly schema: string;
  readonly tables: readonly string[];
  readonly projection: StoreProjection;
}

const rebuildable = (schema: string, registrations: readonly ProjectionRegistration[]): ReadModel[] =>
  registrations.flatMap((projection) =>
    projection.source === 'event-store'
      ? [{ schema, projection, tables: projection.tables.map((table) => table.name) }]
      : [],
  );

/**
 * The services' read models as the operators' rebuild makes them: rebuilding each from every
 * stored event (personal fields opened with the schema's own keys) must give the live rows back.
 */
export const READ_MODELS: readonly ReadModel[] = [
  ...rebuildable('broker_connection', BROKER_CONNECTION_PROJECTIONS),
  ...rebuildable('broker_account', BROKER_ACCOUNT_PROJECTIONS),
  ...rebuildable('virtual_broker', VIRTUAL_BROKER_PROJECTIONS),
];

async function snapshot(manager: EntityManager, schema: string, tables: readonly string[]) {
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows: Record<string, unknown>[] = await manager.query(`SELECT * FROM "${schema}".${table}`);
    result[table] = rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
  }
  return result;
}

export interface RebuildResult {
  readonly schema: string;
  readonly events: number;
  readonly rows: number;
  readonly differences: string[];
}

/** Rebuilds a read model with the service's own role, on a settled stack, and lists what changed. */
export async function compareWithRebuild(roleUrl: string, model: ReadModel): Promise<RebuildResult> {
  const source = new DataSource({ type: 'postgres', url: roleUrl });
  await source.initialize();
  try {
    const personalData = new PersonalData({
      dataSource: source,
      schema: model.schema,
      fields: personalFields,
    });
    const store = new EventStore({ dataSource: source, schema: model.schema, personalData });
    const live = await snapshot(source.manager, model.schema, model.tables);
    const result = await rebuildProjection({ store, projection: model.projection });
    const rebuilt = await snapshot(source.manager, model.schema, model.tables);
    const differences: string[] = [];
    for (const table of model.tables) {
      const before = new Set(live[table]);
      const after = new Set(rebuilt[table]);
      for (const row of live[table]) if (!after.has(row)) differences.push(`${table} live only: ${row}`);
      for (const row of rebuilt[table])
        if (!before.has(row)) differences.push(`${table} rebuild only: ${row}`);
    }
    const rows = model.tables.reduce((sum, table) => sum + live[table].length, 0);
    return { schema: model.schema, events: result.events, rows, differences };
  } finally {
    await source.destroy();
  }
}
