import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The deadline of a saga as a whole, polled beside the step deadlines. */
export class SagaExpiry1765122700000 implements MigrationInterface {
  name = 'SagaExpiry1765122700000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`
      ALTER TABLE ${s}.saga_instance ADD COLUMN IF NOT EXISTS expires_at timestamptz;
      CREATE INDEX IF NOT EXISTS saga_instance_running_expires_at_idx ON ${s}.saga_instance (expires_at)
        WHERE status = 'RUNNING';`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`
      DROP INDEX ${s}.saga_instance_running_expires_at_idx;
      ALTER TABLE ${s}.saga_instance DROP COLUMN expires_at;`);
  }
}
