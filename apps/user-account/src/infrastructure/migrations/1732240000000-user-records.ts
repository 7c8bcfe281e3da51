import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Personal data and sessions: the only place email, name and password hash are stored. */
export class UserRecords1732240000000 implements MigrationInterface {
  name = 'UserRecords1732240000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = `"${(runner.connection.options as { schema: string }).schema}"`;
    await runner.query(`
      CREATE TABLE ${schema}.users (
        user_id uuid PRIMARY KEY,
        email text,
        display_name text,
        password_hash text,
        role text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz
      );
      CREATE UNIQUE INDEX users_email_uq ON ${schema}.users (lower(email)) WHERE email IS NOT NULL;
      CREATE TABLE ${schema}.refresh_tokens (
        token_id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL,
        secret_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX refresh_tokens_user_idx ON ${schema}.refresh_tokens (user_id);
      CREATE INDEX refresh_tokens_family_idx ON ${schema}.refresh_tokens (family_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = `"${(runner.connection.options as { schema: string }).schema}"`;
    await runner.query(`DROP TABLE ${schema}.refresh_tokens; DROP TABLE ${schema}.users;`);
  }
}
