import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Keeps each traced message's envelope, so the dashboard can show what was sent, not only that it was. */
export class TraceEnvelope1763790000000 implements MigrationInterface {
  name = 'TraceEnvelope1763790000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`ALTER TABLE ${s}.trace_entry ADD COLUMN IF NOT EXISTS envelope jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`ALTER TABLE ${s}.trace_entry DROP COLUMN envelope`);
  }
}
