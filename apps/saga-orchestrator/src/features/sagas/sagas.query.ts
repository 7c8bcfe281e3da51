import type { Repository } from 'typeorm';
import type { SagaInstanceEntity } from '../../persistence/saga-instance.entity';
import type { SagaStepLogEntity } from '../../persistence/saga-step-log.entity';
import type { ListSagasQuery } from './sagas.dto';

export type SagaSummary = ReturnType<typeof sagaSummary>;

/** The summary columns only, as raw rows: the list is polled, and a saga's state is the bulk of its row. */
const SUMMARY_COLUMNS: Record<keyof SagaSummary, string> = {
  id: 's.id',
  type: 's.saga_type',
  aggregateId: 's.aggregate_id',
  status: 's.status',
  currentStep: 's.current_step',
  failure: 's.failure',
  parentSagaId: 's.parent_saga_id',
  correlationId: 's.correlation_id',
  userId: 's.user_id',
  retries: 's.retries',
  createdAt: 's.created_at',
  updatedAt: 's.updated_at',
  finishedAt: 's.finished_at',
};

export async function listSagas(
  sagas: Repository<SagaInstanceEntity>,
  query: ListSagasQuery,
  stuckAfterMs: number,
): Promise<SagaSummary[]> {
  const builder = sagas.createQueryBuilder('s').select([]);
  for (const [alias, column] of Object.entries(SUMMARY_COLUMNS)) builder.addSelect(column, alias);
  builder.orderBy('s.created_at', 'DESC').limit(query.limit ?? 100);
  if (query.type) builder.andWhere('s.saga_type = :type', { type: query.type });
  if (query.status) builder.andWhere('s.status = :status', { status: query.status });
  if (query.aggregateId)
    builder.andWhere('s.aggregate_id = :aggregateId', { aggregateId: query.aggregateId });
  if (query.olderThanMs !== undefined)
    builder.andWhere(`s.created_at <= now() - :older * interval '1 millisecond'`, {
      older: query.olderThanMs,
    });
  if (query.stuck)
    builder
      .andWhere(`s.status IN ('QUEUED', 'RUNNING', 'COMPENSATING', 'FAILED')`)
      .andWhere(`s.updated_at <= now() - :stuck * interval '1 millisecond'`, { stuck: stuckAfterMs });
  if (query.retrying) builder.andWhere('s.retries > 0');
  return builder.getRawMany<SagaSummary>();
}

export function sagaSummary(saga: SagaInstanceEntity) {
  return {
    id: saga.id,
    type: saga.sagaType,
    aggregateId: saga.aggregateId,
    status: saga.status,
    currentStep: saga.currentStep,
    failure: saga.failure,
    parentSagaId: saga.parentSagaId,
    correlationId: saga.correlationId,
    userId: saga.userId,
    retries: saga.retries,
    createdAt: saga.createdAt,
    updatedAt: saga.updatedAt,
    finishedAt: saga.finishedAt,
  };
}

/** The step log in order, each reply or timeout with how long after its send it came. */
export function stepTimeline(entries: readonly SagaStepLogEntity[]) {
  const sentAt = new Map<string, number>();
  return entries.map((entry) => {
    const key = `${entry.step}#${entry.attempt}`;
    if (entry.event === 'sent') sentAt.set(key, entry.at.getTime());
    const since = entry.event !== 'sent' ? sentAt.get(key) : undefined;
    return {
      at: entry.at,
      step: entry.step,
      phase: entry.phase,
      attempt: entry.attempt,
      event: entry.event,
      commandType: entry.commandType,
      commandMessageId: entry.commandMessageId,
      detail: entry.detail,
      ...(since !== undefined && { durationMs: entry.at.getTime() - since }),
    };
  });
}
