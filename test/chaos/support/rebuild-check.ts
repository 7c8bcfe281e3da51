import 'reflect-metadata';
import { DataSource, type EntityManager } from 'typeorm';
import { personalFields } from '@tradecore/contracts';
import { type Envelope, type InlineProjector, PersonalData } from '@tradecore/eventing';
import { connectionSummaryProjection } from '../../../apps/broker-connection/src/projections/connection-summary.projection';
import { projectBrokerAccounts } from '../../../apps/broker-account/src/projections/broker-account.projection';
import {
  BrokerAccountEntity,
  EquityPointEntity,
} from '../../../apps/broker-account/src/projections/broker-account.entity';
import {
  PaperEquityPointEntity,
  PaperLedgerEntity,
} from '../../../apps/broker-account/src/projections/paper-ledger.entity';
import { paperAccountProjection } from '../../../apps/virtual-broker/src/projections/paper-account.projection';

interface ReadModel {
  readonly schema: string;
  readonly tables: readonly string[];
  readonly entities: readonly (new () => unknown)[];
  readonly projector: InlineProjector;
}

/**
 * The services' read models as their own projectors build them: replaying every stored event
 * (personal fields opened with the schema's own keys) into emptied tables, inside a transaction
 * that is rolled back, must give the live rows back.
 */
export const READ_MODELS: readonly ReadModel[] = [
  {
    schema: 'broker_connection',
    tables: ['connections'],
    entities: [],
    projector: connectionSummaryProjection('broker_connection'),
  },
  {
    schema: 'broker_account',
    tables: ['broker_accounts', 'equity_history'],
    // The paper tables follow virtual-broker.events, not these events; only their erasure is replayed.
    entities: [BrokerAccountEntity, EquityPointEntity, PaperLedgerEntity, PaperEquityPointEntity],
    projector: projectBrokerAccounts,
  },
  {
    schema: 'virtual_broker',
    tables: ['paper_accounts', 'orders', 'order_events', 'positions'],
    entities: [],
    projector: paperAccountProjection('virtual_broker'),
  },
];

async function snapshot(manager: EntityManager, schema: string, tables: readonly string[]) {
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows: Record<string, unknown>[] = await manager.query(`SELECT * FROM "${schema}".${table}`);
    result[table] = rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
  }
  return result;
}

interface StoredEvent {
  message_id: string;
  type: string;
  schema_version: number;
  stream_id: string;
  version: number;
  occurred_at: string;
  payload: unknown;
  metadata: Record<string, unknown>;
}

export interface RebuildResult {
  readonly schema: string;
  readonly events: number;
  readonly rows: number;
  readonly differences: string[];
}

export async function compareWithRebuild(roleUrl: string, model: ReadModel): Promise<RebuildResult> {
  const source = new DataSource({ type: 'postgres', url: roleUrl, entities: [...model.entities] });
  await source.initialize();
  try {
    const runner = source.createQueryRunner();
    await runner.connect();
    await runner.startTransaction('REPEATABLE READ');
    try {
      const manager = runner.manager;
      const live = await snapshot(manager, model.schema, model.tables);
      for (const table of [...model.tables].reverse())
        await manager.query(`DELETE FROM "${model.schema}".${table}`);
      const events: StoredEvent[] = await manager.query(
        `SELECT * FROM "${model.schema}".events ORDER BY global_position`,
      );
      const personalData = new PersonalData({
        dataSource: source,
        schema: model.schema,
        fields: personalFields,
      });
      for (const row of events) {
        const stored = {
          ...row.metadata,
          messageId: row.message_id,
          type: row.type,
          schemaVersion: row.schema_version,
          streamId: row.stream_id,
          streamVersion: row.version,
          occurredAt: new Date(row.occurred_at).toISOString(),
          payload: row.payload,
        } as Envelope;
        await model.projector(await personalData.open(stored, manager), manager);
      }
      const rebuilt = await snapshot(manager, model.schema, model.tables);
      const differences: string[] = [];
      for (const table of model.tables) {
        const before = new Set(live[table]);
        const after = new Set(rebuilt[table]);
        for (const row of live[table]) if (!after.has(row)) differences.push(`${table} live only: ${row}`);
        for (const row of rebuilt[table])
          if (!before.has(row)) differences.push(`${table} rebuild only: ${row}`);
      }
      const rows = model.tables.reduce((sum, table) => sum + live[table].length, 0);
      return { schema: model.schema, events: events.length, rows, differences };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  } finally {
    await source.destroy();
  }
}
