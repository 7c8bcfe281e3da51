import { deleteOlderRows, type PruneRule } from '@tradecore/eventing';
import { FINAL_STATUSES } from '../engine/saga-definition';

export interface SagaPruneAges {
  readonly traceDays: number;
  readonly stepLogDays: number;
  readonly dlqMessageDays: number;
}

/**
 * The orchestrator's operational tables kept to an age. A running, queued or compensating saga
 * keeps its whole timeline, and a pending dead letter stays however old; saga_instance itself is
 * kept, as it dedupes saga triggers and is the history of what ran.
 */
export function sagaPruneRules(schema: string, ages: SagaPruneAges): PruneRule[] {
  const s = `"${schema}"`;
  const finished = FINAL_STATUSES.map((status) => `'${status}'`).join(', ');
  return [
    {
      table: 'trace_entry',
      afterDays: ages.traceDays,
      deleteBatch: deleteOlderRows(`${s}.trace_entry`, `seen_at < now() - make_interval(days => $1::int)`),
    },
    {
      table: 'saga_step_log',
      afterDays: ages.stepLogDays,
      deleteBatch: `DELETE FROM ${s}.saga_step_log WHERE ctid = ANY(ARRAY(
        SELECT log.ctid FROM ${s}.saga_instance saga JOIN ${s}.saga_step_log log ON log.saga_id = saga.id
        WHERE saga.status IN (${finished}) AND saga.finished_at < now() - make_interval(days => $1::int)
        LIMIT $2))`,
    },
    {
      table: 'dlq_message',
      afterDays: ages.dlqMessageDays,
      deleteBatch: deleteOlderRows(
        `${s}.dlq_message`,
        `status IN ('replayed', 'discarded') AND resolved_at < now() - make_interval(days => $1::int)`,
      ),
    },
  ];
}
