import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The read model of orders on real broker accounts, written inline by `broker-orders.projection.ts`. */
export class CreateBrokerOrders1765300000000 implements MigrationInterface {
  name = 'CreateBrokerOrders1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${(runner.connection.options as { schema?: string }).schema ?? 'public'}"`;
    await runner.query(`CREATE TABLE ${s}.broker_orders (
      order_id uuid PRIMARY KEY,
      account_id uuid NOT NULL,
      connection_id uuid NOT NULL,
      user_id text NOT NULL,
      broker_order_id text,
      symbol text NOT NULL,
      side text NOT NULL,
      kind text NOT NULL,
      quantity int NOT NULL,
      limit_price numeric,
      stop_price numeric,
      time_in_force text NOT NULL,
      status text NOT NULL,
      filled_quantity int NOT NULL DEFAULT 0,
      average_fill_price numeric,
      rejection jsonb,
      history jsonb NOT NULL DEFAULT '[]',
      placed_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version int NOT NULL)`);
    await runner.query(
      `CREATE INDEX broker_orders_account_idx ON ${s}.broker_orders (account_id, placed_at DESC)`,
    );
    await runner.query(
      `CREATE INDEX broker_orders_open_idx ON ${s}.broker_orders (connection_id, placed_at) WHERE status IN ('NEW', 'PARTIALLY_FILLED')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${(runner.connection.options as { schema?: string }).schema ?? 'public'}"`;
    await runner.query(`DROP TABLE ${s}.broker_orders`);
  }
}
