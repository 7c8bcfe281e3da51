import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Tables are unqualified: the connection's schema option puts them in the service's own schema. */
export class ReadModels1732240000000 implements MigrationInterface {
  name = 'ReadModels1732240000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = `"${runner.connection.driver.schema}"`;
    await runner.query(`
      CREATE TABLE ${schema}.paper_accounts (
        account_id text PRIMARY KEY,
        user_id text NOT NULL,
        connection_id text NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        starting_cash_cents bigint NOT NULL,
        cash_cents bigint NOT NULL,
        reserved_cash_cents bigint NOT NULL,
        realized_pnl_cents bigint NOT NULL DEFAULT 0,
        version integer NOT NULL,
        provisioned_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX paper_accounts_user_idx ON ${schema}.paper_accounts (user_id);
      CREATE INDEX paper_accounts_connection_idx ON ${schema}.paper_accounts (connection_id);
      CREATE TABLE ${schema}.orders (
        account_id text NOT NULL,
        order_id text NOT NULL,
        user_id text NOT NULL,
        symbol text NOT NULL,
        side text NOT NULL,
        order_type text NOT NULL,
        time_in_force text NOT NULL,
        quantity integer NOT NULL,
        limit_price_cents bigint,
        status text NOT NULL,
        filled_quantity integer NOT NULL DEFAULT 0,
        filled_value_cents bigint NOT NULL DEFAULT 0,
        reject_code text,
        reject_reason text,
        placed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, order_id)
      );
      CREATE INDEX orders_open_idx ON ${schema}.orders (symbol, account_id) WHERE status IN ('NEW', 'PARTIALLY_FILLED');
      CREATE TABLE ${schema}.order_events (
        account_id text NOT NULL,
        version integer NOT NULL,
        order_id text NOT NULL,
        type text NOT NULL,
        status text NOT NULL,
        fill_quantity integer,
        fill_price_cents bigint,
        filled_quantity integer NOT NULL,
        remaining_quantity integer NOT NULL,
        reason text,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, version)
      );
      CREATE INDEX order_events_order_idx ON ${schema}.order_events (account_id, order_id, version);
      CREATE TABLE ${schema}.positions (
        account_id text NOT NULL,
        symbol text NOT NULL,
        quantity integer NOT NULL,
        cost_basis_cents bigint NOT NULL,
        realized_pnl_cents bigint NOT NULL,
        PRIMARY KEY (account_id, symbol)
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = `"${runner.connection.driver.schema}"`;
    await runner.query(
      `DROP TABLE ${schema}.positions, ${schema}.order_events, ${schema}.orders, ${schema}.paper_accounts`,
    );
  }
}

/** Stop and stop-limit orders show their stop price. */
export class AddStopPrice1765190000000 implements MigrationInterface {
  name = 'AddStopPrice1765190000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "${runner.connection.driver.schema}".orders ADD COLUMN stop_price_cents bigint`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "${runner.connection.driver.schema}".orders DROP COLUMN stop_price_cents`,
    );
  }
}

/** Every read-model migration in order, for the module and the projection's own test. */
export const READ_MODEL_MIGRATIONS = [ReadModels1732240000000, AddStopPrice1765190000000];
