import type { EntityManager } from 'typeorm';
import { notifyRelayIfQueued, type OutboxRecord, queueOutboxRows } from '@tradecore/eventing';
import type { SagaFailure, SagaStatus } from './saga-definition';
import { insertTraceRows, type TraceRow } from '../persistence/trace-rows';
import type { SagaState, StepLogEntry } from './saga-state';

export interface SagaRow {
  readonly id: string;
  readonly saga_type: string;
  readonly aggregate_id: string;
  readonly status: SagaStatus;
  readonly state: SagaState;
  readonly parent_saga_id: string | null;
  readonly child_key: string | null;
  readonly correlation_id: string;
  readonly user_id: string | null;
  readonly created_at: Date;
  /** When the saga last moved: how long its current step waited, for the step log lines. */
  readonly updated_at: Date;
  /** The trace of the message that started it, continued by inputs no message brings (a deadline). */
  readonly traceparent: string | null;
}

export interface NewSaga {
  readonly id: string;
  readonly sagaType: string;
  readonly aggregateId: string;
  readonly status: SagaStatus;
  readonly state: SagaState;
  readonly parentSagaId: string | null;
  readonly childKey: string | null;
  readonly triggerType: string;
  readonly triggerMessageId: string;
  readonly correlationId: string;
  readonly userId: string | null;
  readonly traceparent: string | null;
}

export interface SagaChange {
  readonly state: SagaState;
  readonly currentStep: string | null;
  readonly failure: SagaFailure | null;
  readonly retries: number;
  readonly awaitingChildKeys: readonly string[];
  readonly log: readonly StepLogEntry[];
  /** The wait to time, or null to clear it; the same step and attempt as the one set keeps its clock. */
  readonly deadline: { readonly step: string; readonly attempt: number; readonly dueInMs: number } | null;
  /** Starts the clock of the saga as a whole (it starts running, or an operator revives it); null leaves it. */
  readonly expiresInMs: number | null;
  readonly traces: readonly TraceRow[];
  /** The commands it sends, in order: queued in the outbox, waking the relay once this commits. */
  readonly outbox: readonly OutboxRecord[];
}

const COLUMNS =
  'id, saga_type, aggregate_id, status, state, parent_saga_id, child_key, correlation_id, user_id, created_at, updated_at, traceparent';

/** The SQL behind the engine; every write happens with the saga's row locked by the caller. */
export class SagaRepository {
  private readonly t: { readonly instance: string; readonly log: string; readonly deadline: string };
  private readonly saveSql: string;

  constructor(private readonly schema: string) {
    const s = `"${schema}"`;
    this.t = { instance: `${s}.saga_instance`, log: `${s}.saga_step_log`, deadline: `${s}.saga_deadline` };
    this.saveSql = this.saveStatement();
  }

  async findByTrigger(m: EntityManager, sagaType: string, triggerMessageId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM ${this.t.instance} WHERE saga_type = $1 AND trigger_message_id = $2`,
      [sagaType, triggerMessageId],
    );
    return rows.length > 0;
  }

  /** Inserts unless the aggregate already has an active saga (the partial unique index decides); true when inserted. */
  async insert(m: EntityManager, saga: NewSaga): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO ${this.t.instance} (id, saga_type, aggregate_id, status, state, parent_saga_id, child_key,
         trigger_type, trigger_message_id, correlation_id, user_id, traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (aggregate_id) WHERE status IN ('RUNNING', 'COMPENSATING') DO NOTHING RETURNING id`,
      [
        saga.id,
        saga.sagaType,
        saga.aggregateId,
        saga.status,
        JSON.stringify(saga.state),
        saga.parentSagaId,
        saga.childKey,
        saga.triggerType,
        saga.triggerMessageId,
        saga.correlationId,
        saga.userId,
        saga.traceparent,
      ],
    );
    return rows.length > 0;
  }

  async lock(m: EntityManager, sagaId: string, skipLocked = false): Promise<SagaRow | undefined> {
    const rows: SagaRow[] = await m.query(
      `SELECT ${COLUMNS} FROM ${this.t.instance} WHERE id = $1 FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
      [sagaId],
    );
    return rows[0];
  }

  async hasActiveSaga(m: EntityManager, aggregateId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM ${this.t.instance} WHERE aggregate_id = $1 AND status IN ('RUNNING', 'COMPENSATING')`,
      [aggregateId],
    );
    return rows.length > 0;
  }

  /** The oldest queued saga of an aggregate, locked, unless a saga is active on it. */
  async nextQueuedIfIdle(m: EntityManager, aggregateId: string): Promise<SagaRow | undefined> {
    const rows: SagaRow[] = await m.query(
      `SELECT ${COLUMNS} FROM ${this.t.instance} WHERE aggregate_id = $1 AND status = 'QUEUED'
         AND NOT EXISTS (SELECT 1 FROM ${this.t.instance}
                         WHERE aggregate_id = $1 AND status IN ('RUNNING', 'COMPENSATING'))
       ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [aggregateId],
    );
    return rows[0];
  }

  /**
   * Everything a transition changes, in one statement: the saga row, its step log, its deadline
   * (set, moved or cleared) and the trace rows of the commands it sent.
   */
  async save(m: EntityManager, sagaId: string, change: SagaChange): Promise<void> {
    const next = change.deadline;
    await m.query(this.saveSql, [
      sagaId,
      change.state.status,
      JSON.stringify(change.state),
      change.currentStep,
      change.failure && JSON.stringify(change.failure),
      change.retries,
      [...change.awaitingChildKeys],
      JSON.stringify(change.log),
      next?.step ?? null,
      next?.attempt ?? null,
      next?.dueInMs ?? null,
      JSON.stringify(change.traces),
      JSON.stringify(change.outbox),
      change.expiresInMs,
    ]);
  }

  private saveStatement(): string {
    const { instance, deadline } = this.t;
    return `WITH saga AS (
         UPDATE ${instance} SET status = $2, state = $3, current_step = $4, failure = $5,
           retries = retries + $6, awaiting_child_keys = $7, updated_at = clock_timestamp(),
           finished_at = CASE WHEN $2 IN ('COMPLETED', 'COMPENSATED', 'ABORTED') THEN clock_timestamp() END,
           expires_at = COALESCE(clock_timestamp() + $14::float8 * interval '1 millisecond', expires_at)
         WHERE id = $1),
       log AS (${this.insertLog('$1', '$8')}),
       cleared AS (DELETE FROM ${deadline} WHERE saga_id = $1 AND $9::text IS NULL),
       due AS (
         INSERT INTO ${deadline} (saga_id, step, attempt, due_at)
         SELECT $1::uuid, $9::text, $10::integer, clock_timestamp() + $11::float8 * interval '1 millisecond'
         WHERE $9::text IS NOT NULL
         ON CONFLICT (saga_id) DO UPDATE SET step = EXCLUDED.step, attempt = EXCLUDED.attempt, due_at = EXCLUDED.due_at
         WHERE (${deadline}.step, ${deadline}.attempt) IS DISTINCT FROM (EXCLUDED.step, EXCLUDED.attempt)),
       traced AS (${insertTraceRows(this.schema, '$12')}),
       queued AS (${queueOutboxRows(this.schema, '$13')})
       ${notifyRelayIfQueued(this.schema, 'queued')}`;
  }

  async appendLog(m: EntityManager, sagaId: string, entries: readonly StepLogEntry[]): Promise<void> {
    await m.query(this.insertLog('$1', '$2'), [sagaId, JSON.stringify(entries)]);
  }

  /** Step log rows from a JSON array, inserted in its order (the timeline reads them by id). */
  private insertLog(sagaId: string, entries: string): string {
    return `INSERT INTO ${this.t.log} (saga_id, step, phase, attempt, event, command_type, command_message_id, detail)
      SELECT ${sagaId}::uuid, step, phase, attempt, event, command_type, command_message_id, detail
      FROM ROWS FROM (jsonb_to_recordset(${entries}::jsonb) AS (step text, phase text, attempt integer,
        event text, "commandType" text, "commandMessageId" text, detail jsonb))
        WITH ORDINALITY AS e(step, phase, attempt, event, command_type, command_message_id, detail, n)
      ORDER BY n`;
  }

  async clearDeadline(m: EntityManager, sagaId: string): Promise<void> {
    await m.query(`DELETE FROM ${this.t.deadline} WHERE saga_id = $1`, [sagaId]);
  }

  /** Locks the saga behind the earliest passed deadline, skipping sagas another replica is working on. */
  async lockDueSaga(m: EntityManager): Promise<{ saga: SagaRow; step: string; attempt: number } | undefined> {
    const due: { id: string }[] = await m.query(
      `SELECT i.id FROM ${this.t.deadline} d JOIN ${this.t.instance} i ON i.id = d.saga_id
       WHERE d.due_at <= clock_timestamp() ORDER BY d.due_at LIMIT 1 FOR UPDATE OF i SKIP LOCKED`,
    );
    if (due.length === 0) return undefined;
    const saga = (await this.lock(m, due[0].id)) as SagaRow;
    const [deadline]: { step: string; attempt: number }[] = await m.query(
      `SELECT step, attempt FROM ${this.t.deadline} WHERE saga_id = $1`,
      [saga.id],
    );
    return deadline && { saga, ...deadline };
  }

  async clearExpiry(m: EntityManager, sagaId: string): Promise<void> {
    await m.query(`UPDATE ${this.t.instance} SET expires_at = NULL WHERE id = $1`, [sagaId]);
  }

  /** Locks a RUNNING saga whose deadline as a whole has passed, skipping sagas another replica is working on. */
  async lockExpiredSaga(m: EntityManager): Promise<SagaRow | undefined> {
    const rows: SagaRow[] = await m.query(
      `SELECT ${COLUMNS} FROM ${this.t.instance} WHERE status = 'RUNNING' AND expires_at <= clock_timestamp()
       ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0];
  }

  /** Locks the sagas waiting for a child that ended or stopped: its parent, and any saga awaiting its key. */
  async lockWaitersFor(
    m: EntityManager,
    child: Pick<SagaRow, 'parent_saga_id' | 'child_key'>,
  ): Promise<SagaRow[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM ${this.t.instance}
       WHERE id = $1 OR ($2::text IS NOT NULL AND $2 = ANY(awaiting_child_keys)) ORDER BY id FOR UPDATE`,
      [child.parent_saga_id, child.child_key],
    );
  }

  async finishedChildren(
    m: EntityManager,
    keys: readonly string[],
  ): Promise<{ child_key: string; status: SagaStatus }[]> {
    // The newest saga of each key speaks for it: a parent that ran its step again may have started a
    // second child under a key whose first child ended badly.
    return m.query(
      `SELECT child_key, status FROM (
         SELECT DISTINCT ON (child_key) child_key, status FROM ${this.t.instance}
         WHERE child_key = ANY($1::text[]) ORDER BY child_key, created_at DESC, id DESC) newest
       WHERE status IN ('COMPLETED', 'COMPENSATED', 'ABORTED', 'FAILED')`,
      [[...keys]],
    );
  }

  async activeSagas(m: EntityManager): Promise<{ id: string; aggregate_id: string }[]> {
    return m.query(
      `SELECT id, aggregate_id FROM ${this.t.instance} WHERE status IN ('RUNNING', 'COMPENSATING')`,
    );
  }

  /** Aggregates with a queued saga and none active: what a finished saga failed to hand over (e.g. a crash). */
  async idleQueuedAggregates(m: EntityManager): Promise<string[]> {
    const rows: { aggregate_id: string }[] = await m.query(
      `SELECT DISTINCT q.aggregate_id FROM ${this.t.instance} q WHERE q.status = 'QUEUED' AND NOT EXISTS (
         SELECT 1 FROM ${this.t.instance} a WHERE a.aggregate_id = q.aggregate_id AND a.status IN ('RUNNING', 'COMPENSATING'))`,
    );
    return rows.map((row) => row.aggregate_id);
  }
}
