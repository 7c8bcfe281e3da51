import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A trace row is unique by (message_id, source_id), so the trace consumer records with ON CONFLICT
 * DO NOTHING instead of an inbox row per message; the unique index also serves the lookups by
 * message id. Rows recorded before keep a null source_id (never equal, never recorded again).
 * The stream index leaves out the telemetry rows, which have no stream, and the pruning finds old
 * rows through a BRIN index, which rows appended in time order barely cost to keep.
 */
export class TraceSourceKey1765500000000 implements MigrationInterface {
  name = 'TraceSourceKey1765500000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`
      ALTER TABLE ${s}.trace_entry ADD COLUMN IF NOT EXISTS source_id text;
      CREATE UNIQUE INDEX IF NOT EXISTS trace_entry_message_source_idx ON ${s}.trace_entry (message_id, source_id);
      DROP INDEX IF EXISTS ${s}.trace_entry_message_idx;
      DROP INDEX IF EXISTS ${s}.trace_entry_stream_idx;
      CREATE INDEX trace_entry_stream_idx ON ${s}.trace_entry (stream_id) WHERE stream_id IS NOT NULL;
      DROP INDEX IF EXISTS ${s}.trace_entry_seen_at_idx;
      CREATE INDEX trace_entry_seen_at_idx ON ${s}.trace_entry USING brin (seen_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`
      DROP INDEX ${s}.trace_entry_seen_at_idx, ${s}.trace_entry_stream_idx, ${s}.trace_entry_message_source_idx;
      CREATE INDEX trace_entry_seen_at_idx ON ${s}.trace_entry (seen_at);
      CREATE INDEX trace_entry_stream_idx ON ${s}.trace_entry (stream_id);
      CREATE INDEX trace_entry_message_idx ON ${s}.trace_entry (message_id);
      ALTER TABLE ${s}.trace_entry DROP COLUMN source_id`);
  }
}
