import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaOf } from './broker-account.migrations';

/**
 * The paper accounts followed from virtual-broker.events, their equity history and the market
 * marks that value their positions: tables of their own, since broker_accounts and
 * equity_history are the projection of this service's own events and must rebuild from them.
 */
export class CreatePaperLedgers1765090000000 implements MigrationInterface {
  name = 'CreatePaperLedgers1765090000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`CREATE TABLE ${s}.paper_ledgers (
      virtual_account_id uuid PRIMARY KEY,
      ledger jsonb NOT NULL,
      symbols text[] NOT NULL DEFAULT '{}',
      cash numeric,
      buying_power numeric,
      equity numeric,
      as_of timestamptz NOT NULL)`);
    await runner.query(`CREATE INDEX paper_ledgers_symbols_idx ON ${s}.paper_ledgers USING gin (symbols)`);
    await runner.query(`CREATE TABLE ${s}.paper_equity_history (
      virtual_account_id uuid NOT NULL,
      as_of timestamptz NOT NULL,
      equity numeric NOT NULL,
      cash numeric NOT NULL,
      buying_power numeric NOT NULL,
      PRIMARY KEY (virtual_account_id, as_of))`);
    await runner.query(`CREATE TABLE ${s}.market_marks (
      symbol text PRIMARY KEY,
      twice_mark_cents bigint NOT NULL,
      marked_at timestamptz NOT NULL)`);
    await runner.query(
      `CREATE INDEX broker_accounts_virtual_idx ON ${s}.broker_accounts (virtual_account_id) WHERE virtual_account_id IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP INDEX ${s}.broker_accounts_virtual_idx`);
    await runner.query(`DROP TABLE ${s}.market_marks`);
    await runner.query(`DROP TABLE ${s}.paper_equity_history`);
    await runner.query(`DROP TABLE ${s}.paper_ledgers`);
  }
}
