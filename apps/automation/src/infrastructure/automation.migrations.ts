import { type MigrationInterface, type QueryRunner } from 'typeorm';

const schemaOf = (runner: QueryRunner): string =>
  `"${(runner.connection.options as { schema?: string }).schema ?? 'public'}"`;

export class CreateAutomationTables1765080000000 implements MigrationInterface {
  name = 'CreateAutomationTables1765080000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`CREATE TABLE ${s}.automations (
      automation_id uuid PRIMARY KEY,
      user_id text NOT NULL,
      account_id uuid NOT NULL,
      connection_id uuid NOT NULL,
      virtual_account_id uuid NOT NULL,
      settings jsonb NOT NULL,
      status text NOT NULL,
      paused_reason jsonb,
      token_hash text NOT NULL UNIQUE,
      signing_secret_id uuid,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await runner.query(`CREATE INDEX automations_user_idx ON ${s}.automations (user_id, created_at)`);
    await runner.query(`CREATE INDEX automations_account_idx ON ${s}.automations (account_id)`);
    await runner.query(`CREATE TABLE ${s}.signals (
      signal_id uuid PRIMARY KEY,
      automation_id uuid NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL,
      reason jsonb,
      order_id uuid UNIQUE,
      "order" jsonb,
      filled_quantity numeric NOT NULL DEFAULT 0,
      fill_notional numeric NOT NULL DEFAULT 0,
      received_at timestamptz NOT NULL,
      decided_at timestamptz,
      placed_at timestamptz,
      filled_at timestamptz)`);
    await runner.query(
      `CREATE INDEX signals_automation_idx ON ${s}.signals (automation_id, received_at DESC)`,
    );
    await runner.query(`CREATE TABLE ${s}.broker_accounts (
      account_id uuid PRIMARY KEY,
      user_id text NOT NULL,
      connection_id uuid NOT NULL,
      broker text NOT NULL,
      mode text NOT NULL,
      virtual_account_id uuid,
      status text NOT NULL,
      equity numeric,
      updated_at timestamptz NOT NULL)`);
    await runner.query(`CREATE INDEX broker_accounts_user_idx ON ${s}.broker_accounts (user_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP TABLE ${s}.broker_accounts`);
    await runner.query(`DROP TABLE ${s}.signals`);
    await runner.query(`DROP TABLE ${s}.automations`);
  }
}

/** Take-profit and stop-loss orders, so their outcomes find the automation that placed them. */
export class AddExitOrders1765180000000 implements MigrationInterface {
  name = 'AddExitOrders1765180000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE ${schemaOf(runner)}.exit_orders (
      order_id uuid PRIMARY KEY,
      automation_id uuid NOT NULL,
      signal_id uuid NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${schemaOf(runner)}.exit_orders`);
  }
}

/**
 * Automations on real broker accounts: the account's broker (which decides where orders go), no
 * paper account id for them, and which saga deletion deleted an automation (so a resent deletion
 * answers the same ids).
 */
export class AutomationsOnRealAccounts1765400000000 implements MigrationInterface {
  name = 'AutomationsOnRealAccounts1765400000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`ALTER TABLE ${s}.automations ALTER COLUMN virtual_account_id DROP NOT NULL`);
    await runner.query(`ALTER TABLE ${s}.automations ADD COLUMN broker text NOT NULL DEFAULT 'virtual'`);
    await runner.query(`ALTER TABLE ${s}.automations ADD COLUMN deleted_by text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`ALTER TABLE ${s}.automations DROP COLUMN deleted_by`);
    await runner.query(`ALTER TABLE ${s}.automations DROP COLUMN broker`);
    await runner.query(`DELETE FROM ${s}.automations WHERE virtual_account_id IS NULL`);
    await runner.query(`ALTER TABLE ${s}.automations ALTER COLUMN virtual_account_id SET NOT NULL`);
  }
}
