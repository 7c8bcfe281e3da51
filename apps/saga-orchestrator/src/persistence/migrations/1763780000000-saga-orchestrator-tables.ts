import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class SagaOrchestratorTables1763780000000 implements MigrationInterface {
  name = 'SagaOrchestratorTables1763780000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(`
      CREATE TABLE ${s}.saga_instance (
        id uuid PRIMARY KEY,
        saga_type text NOT NULL,
        aggregate_id text NOT NULL,
        status text NOT NULL,
        current_step text,
        state jsonb NOT NULL,
        failure jsonb,
        parent_saga_id uuid,
        child_key text,
        awaiting_child_keys text[] NOT NULL DEFAULT '{}',
        trigger_type text NOT NULL,
        trigger_message_id text NOT NULL,
        correlation_id text NOT NULL,
        user_id text,
        retries integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        CONSTRAINT saga_instance_trigger_uq UNIQUE (saga_type, trigger_message_id)
      );
      CREATE UNIQUE INDEX saga_instance_one_active_per_aggregate
        ON ${s}.saga_instance (aggregate_id) WHERE status IN ('RUNNING', 'COMPENSATING');
      CREATE INDEX saga_instance_status_idx ON ${s}.saga_instance (status, updated_at);
      CREATE INDEX saga_instance_queued_idx ON ${s}.saga_instance (aggregate_id, created_at) WHERE status = 'QUEUED';
      CREATE INDEX saga_instance_parent_idx ON ${s}.saga_instance (parent_saga_id) WHERE parent_saga_id IS NOT NULL;
      CREATE INDEX saga_instance_child_key_idx ON ${s}.saga_instance (child_key) WHERE child_key IS NOT NULL;
      CREATE INDEX saga_instance_awaiting_idx ON ${s}.saga_instance USING gin (awaiting_child_keys);
      CREATE TABLE ${s}.saga_step_log (
        id bigserial PRIMARY KEY,
        saga_id uuid NOT NULL REFERENCES ${s}.saga_instance (id) ON DELETE CASCADE,
        step text NOT NULL,
        phase text NOT NULL,
        attempt integer NOT NULL,
        event text NOT NULL,
        command_type text,
        command_message_id text,
        detail jsonb,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX saga_step_log_saga_idx ON ${s}.saga_step_log (saga_id, id);
      CREATE TABLE ${s}.saga_deadline (
        saga_id uuid PRIMARY KEY REFERENCES ${s}.saga_instance (id) ON DELETE CASCADE,
        step text NOT NULL,
        attempt integer NOT NULL,
        due_at timestamptz NOT NULL
      );
      CREATE INDEX saga_deadline_due_idx ON ${s}.saga_deadline (due_at);
      CREATE TABLE ${s}.dlq_message (
        id bigserial PRIMARY KEY,
        dlq_topic text NOT NULL,
        partition integer NOT NULL,
        "offset" text NOT NULL,
        original_topic text NOT NULL,
        consumer_group text,
        message_id text,
        message_type text,
        key text,
        value text,
        headers jsonb NOT NULL,
        error text,
        attempts integer,
        status text NOT NULL DEFAULT 'pending',
        replay_count integer NOT NULL DEFAULT 0,
        received_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        CONSTRAINT dlq_message_position_uq UNIQUE (dlq_topic, partition, "offset")
      );
      CREATE INDEX dlq_message_status_idx ON ${s}.dlq_message (status, original_topic);
      CREATE TABLE ${s}.trace_entry (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        message_id text NOT NULL,
        type text NOT NULL,
        topic text NOT NULL,
        stream_id text,
        correlation_id text NOT NULL,
        causation_id text,
        saga_id text,
        saga_step text,
        service text,
        consumer text,
        outcome text,
        duration_ms integer,
        lag_ms integer,
        occurred_at timestamptz NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX trace_entry_correlation_idx ON ${s}.trace_entry (correlation_id, occurred_at);
      CREATE INDEX trace_entry_stream_idx ON ${s}.trace_entry (stream_id);
      CREATE INDEX trace_entry_message_idx ON ${s}.trace_entry (message_id);`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'public'}"`;
    await runner.query(
      `DROP TABLE ${s}.trace_entry, ${s}.dlq_message, ${s}.saga_deadline, ${s}.saga_step_log, ${s}.saga_instance`,
    );
  }
}
