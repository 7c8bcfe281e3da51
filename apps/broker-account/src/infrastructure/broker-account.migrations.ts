import { type MigrationInterface, type QueryRunner } from 'typeorm';

export const schemaOf = (runner: QueryRunner): string =>
  `"${(runner.connection.options as { schema?: string }).schema ?? 'public'}"`;

export class CreateAccountTables1763780000000 implements MigrationInterface {
  name = 'CreateAccountTables1763780000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`CREATE TABLE ${s}.broker_accounts (
      account_id uuid PRIMARY KEY,
      connection_id uuid NOT NULL,
      user_id text NOT NULL,
      broker text NOT NULL,
      mode text NOT NULL,
      external_account_id text NOT NULL,
      display_name text NOT NULL,
      account_type text,
      currency text NOT NULL,
      virtual_account_id uuid,
      status text NOT NULL,
      cash numeric,
      buying_power numeric,
      equity numeric,
      balance_as_of timestamptz,
      linked_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await runner.query(
      `CREATE INDEX broker_accounts_user_idx ON ${s}.broker_accounts (user_id, connection_id)`,
    );
    await runner.query(`CREATE TABLE ${s}.equity_history (
      account_id uuid NOT NULL,
      as_of timestamptz NOT NULL,
      equity numeric NOT NULL,
      cash numeric NOT NULL,
      buying_power numeric NOT NULL,
      PRIMARY KEY (account_id, as_of))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP TABLE ${s}.equity_history`);
    await runner.query(`DROP TABLE ${s}.broker_accounts`);
  }
}
