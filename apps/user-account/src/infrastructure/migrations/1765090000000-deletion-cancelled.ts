import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Why the user's last deletion was called off, shown on their profile until they ask again. */
export class DeletionCancelled1765090000000 implements MigrationInterface {
  name = 'DeletionCancelled1765090000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = `"${(runner.connection.options as { schema: string }).schema}"`;
    await runner.query(`ALTER TABLE ${schema}.users ADD COLUMN deletion_cancelled jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = `"${(runner.connection.options as { schema: string }).schema}"`;
    await runner.query(`ALTER TABLE ${schema}.users DROP COLUMN deletion_cancelled`);
  }
}
