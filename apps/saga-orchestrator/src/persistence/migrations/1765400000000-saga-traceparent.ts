import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The trace of the message that started a saga, which inputs no message brings (deadlines) continue. */
export class SagaTraceparent1765400000000 implements MigrationInterface {
  name = 'SagaTraceparent1765400000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`ALTER TABLE ${s}.saga_instance ADD COLUMN IF NOT EXISTS traceparent text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`ALTER TABLE ${s}.saga_instance DROP COLUMN traceparent`);
  }
}
