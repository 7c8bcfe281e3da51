import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaOf } from './broker-connection.migrations';

/**
 * Which replica streams which real account (`trading/stream-leases.ts`), and the index that finds
 * an order by its broker id (TradeStation's stream updates carry no client order id).
 */
export class CreateStreamLeases1765400000000 implements MigrationInterface {
  name = 'CreateStreamLeases1765400000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`CREATE TABLE ${s}.stream_leases (
      account_id uuid PRIMARY KEY,
      owner text NOT NULL,
      lease_until timestamptz NOT NULL)`);
    await runner.query(
      `CREATE INDEX broker_orders_broker_order_idx ON ${s}.broker_orders (connection_id, broker_order_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP INDEX ${s}.broker_orders_broker_order_idx`);
    await runner.query(`DROP TABLE ${s}.stream_leases`);
  }
}
