import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Positions of real broker accounts, moved by the fills on broker-orders.events. */
export class CreateBrokerPositions1765300000000 implements MigrationInterface {
  name = 'CreateBrokerPositions1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${(runner.connection.options as { schema?: string }).schema ?? 'public'}"`;
    await runner.query(`CREATE TABLE ${s}.broker_positions (
      account_id uuid NOT NULL,
      symbol text NOT NULL,
      quantity int NOT NULL,
      last_fill_price numeric NOT NULL,
      as_of timestamptz NOT NULL,
      PRIMARY KEY (account_id, symbol))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${(runner.connection.options as { schema?: string }).schema ?? 'public'}"`;
    await runner.query(`DROP TABLE ${s}.broker_positions`);
  }
}
