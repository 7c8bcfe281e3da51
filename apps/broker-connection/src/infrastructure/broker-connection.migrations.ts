import { type MigrationInterface, type QueryRunner } from 'typeorm';

export const schemaOf = (runner: QueryRunner): string =>
  `"${(runner.connection.options as { schema?: string }).schema ?? 'public'}"`;

export class CreateConnectionTables1763780000000 implements MigrationInterface {
  name = 'CreateConnectionTables1763780000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`CREATE TABLE ${s}.connections (
      connection_id uuid PRIMARY KEY,
      user_id text NOT NULL,
      broker text NOT NULL,
      mode text NOT NULL,
      status text NOT NULL,
      failure jsonb,
      linked_account_ids jsonb NOT NULL DEFAULT '[]',
      virtual_account_ids jsonb NOT NULL DEFAULT '[]',
      disconnection_id uuid,
      requested_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version int NOT NULL)`);
    await runner.query(`CREATE INDEX connections_user_idx ON ${s}.connections (user_id, requested_at)`);
    await runner.query(`CREATE TABLE ${s}.connection_credentials (
      connection_id uuid PRIMARY KEY,
      key_id text NOT NULL,
      iv bytea NOT NULL,
      auth_tag bytea NOT NULL,
      ciphertext bytea NOT NULL,
      sealed_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP TABLE ${s}.connection_credentials`);
    await runner.query(`DROP TABLE ${s}.connections`);
  }
}

/** Users whose deletion has begun: their connections are being closed and no new one is accepted. */
export class CreateClosedUsers1765090000000 implements MigrationInterface {
  name = 'CreateClosedUsers1765090000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE ${schemaOf(runner)}.closed_users (user_id text PRIMARY KEY, closed_at timestamptz NOT NULL)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${schemaOf(runner)}.closed_users`);
  }
}

/** A keyed hash of the account key beside the sealed credentials, so a duplicate connection is found without opening them. */
export class AddCredentialsFingerprint1765080000000 implements MigrationInterface {
  name = 'AddCredentialsFingerprint1765080000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${schemaOf(runner)}.connection_credentials ADD COLUMN fingerprint text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${schemaOf(runner)}.connection_credentials DROP COLUMN fingerprint`);
  }
}

/** Keyed hashes of the broker's account ids a sign-in reaches, so the same TradeStation login connected twice is found. */
export class AddAccountFingerprints1765400000000 implements MigrationInterface {
  name = 'AddAccountFingerprints1765400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE ${schemaOf(runner)}.connection_credentials ADD COLUMN account_fingerprints text[]`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE ${schemaOf(runner)}.connection_credentials DROP COLUMN account_fingerprints`,
    );
  }
}
