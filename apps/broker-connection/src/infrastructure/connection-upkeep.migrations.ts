import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaOf } from './broker-connection.migrations';

/**
 * Connection upkeep: why a connection is not plainly CONNECTED, each connection's current access
 * token (sealed like the credentials) with the leases that let one replica refresh or check it,
 * and the OAuth states of sign-ins under way (single use, expiring; the PKCE verifier sealed).
 */
export class CreateConnectionUpkeep1765200000000 implements MigrationInterface {
  name = 'CreateConnectionUpkeep1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`ALTER TABLE ${s}.connections ADD COLUMN status_reason jsonb`);
    await runner.query(`CREATE TABLE ${s}.connection_upkeep (
      connection_id uuid PRIMARY KEY,
      key_id text,
      iv bytea,
      auth_tag bytea,
      ciphertext bytea,
      access_expires_at timestamptz,
      refresh_lease_until timestamptz,
      check_due_at timestamptz,
      consecutive_failures int NOT NULL DEFAULT 0)`);
    await runner.query(`CREATE TABLE ${s}.oauth_states (
      state_hash text PRIMARY KEY,
      user_id text NOT NULL,
      broker text NOT NULL,
      mode text NOT NULL,
      connection_id uuid,
      key_id text NOT NULL,
      iv bytea NOT NULL,
      auth_tag bytea NOT NULL,
      ciphertext bytea NOT NULL,
      expires_at timestamptz NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP TABLE ${s}.oauth_states`);
    await runner.query(`DROP TABLE ${s}.connection_upkeep`);
    await runner.query(`ALTER TABLE ${s}.connections DROP COLUMN status_reason`);
  }
}
