import { operationsLog } from '@tradecore/eventing';
import type { SagaDefinition } from './saga-definition';
import type { PersistedSaga } from './saga-messages';
import type { SagaState, SagaTransition } from './saga-state';

/**
 * One log line per step transition the engine persists (sent, succeeded, failed, timed out,
 * skipped, …) and one per status change, so `sagaId` in a log query tells the saga's story.
 * `durationMs` is how long the saga waited since it last moved: for a reply, the step's round trip.
 */
export function logStepTransitions(
  definition: SagaDefinition,
  saga: PersistedSaga,
  transition: SagaTransition,
  before: SagaState | null,
): void {
  const log = operationsLog();
  if (!log) return;
  const durationMs = saga.updated_at ? Date.now() - saga.updated_at.getTime() : 0;
  const base = { sagaId: saga.id, sagaType: definition.type, aggregateId: saga.aggregate_id };
  for (const entry of transition.log) {
    const outcome = entry.event;
    const fields = {
      ...base,
      step: entry.step,
      phase: entry.phase,
      attempt: entry.attempt,
      outcome,
      durationMs: outcome === 'sent' ? 0 : durationMs,
      ...(entry.commandType && { commandType: entry.commandType }),
    };
    const line = `saga ${definition.type} ${saga.id} step ${entry.step} attempt ${entry.attempt}: ${outcome}`;
    if (outcome === 'failed' || outcome === 'timed-out') log.warn(fields, line);
    else log.info(fields, line);
  }
  const from = before?.status ?? null;
  if (from !== transition.state.status)
    log.info(
      { ...base, from, status: transition.state.status, durationMs },
      `saga ${definition.type} ${saga.id}: ${from ?? 'new'} -> ${transition.state.status}`,
    );
}
