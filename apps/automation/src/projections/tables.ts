import type { DataSource, EntityManager } from 'typeorm';

export type AutomationTable = 'automations' | 'signals' | 'broker_accounts' | 'exit_orders';

/** A read-model table, qualified by the schema the service runs in (tests each run in their own). */
export function tableOf(source: EntityManager | DataSource, table: AutomationTable): string {
  const options = 'connection' in source ? source.connection.options : source.options;
  return `"${(options as { schema?: string }).schema ?? 'public'}".${table}`;
}
