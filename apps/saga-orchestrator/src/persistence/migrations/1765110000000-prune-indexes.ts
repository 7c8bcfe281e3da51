import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Lets each pruning batch find its oldest rows without scanning the whole table. */
export class PruneIndexes1765110000000 implements MigrationInterface {
  name = 'PruneIndexes1765110000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`
      CREATE INDEX IF NOT EXISTS trace_entry_seen_at_idx ON ${s}.trace_entry (seen_at);
      CREATE INDEX IF NOT EXISTS saga_instance_finished_at_idx ON ${s}.saga_instance (finished_at)
        WHERE finished_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS dlq_message_resolved_at_idx ON ${s}.dlq_message (resolved_at)
        WHERE resolved_at IS NOT NULL;`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(
      `DROP INDEX ${s}.trace_entry_seen_at_idx, ${s}.saga_instance_finished_at_idx, ${s}.dlq_message_resolved_at_idx`,
    );
  }
}
