import type { SagaFailureReason, SagaLifecycleEvent } from '@tradecore/contracts';
import { commandKeyOf, topicOfMessageType } from '@tradecore/contracts';
import { type Envelope, envelopeOfMessage } from '@tradecore/eventing';
import type { SagaDefinition } from './saga-definition';
import type { SagaRow } from './saga-repository';
import type { PlannedCommand, SagaState } from './saga-state';

// What a transition sends: the commands it decided, and the life-cycle events other contexts follow.

export type PersistedSaga = Pick<
  SagaRow,
  'id' | 'aggregate_id' | 'status' | 'parent_saga_id' | 'child_key' | 'correlation_id' | 'user_id'
> & { created_at?: Date; updated_at?: Date };

export interface OutgoingEnvelope {
  readonly topic: string;
  readonly envelope: Envelope;
}

const metadataOf = (saga: PersistedSaga, sagaStep?: string) => ({
  correlationId: saga.correlation_id,
  sagaId: saga.id,
  ...(sagaStep && { sagaStep }),
  ...(saga.user_id && { userId: saga.user_id }),
});

export function commandEnvelopes(
  saga: PersistedSaga,
  planned: readonly PlannedCommand[],
): OutgoingEnvelope[] {
  return planned.map(({ command, step }) => {
    const topic = topicOfMessageType(command.type);
    const envelope = envelopeOfMessage({
      topic,
      key: commandKeyOf(command),
      type: command.type,
      schemaVersion: command.schemaVersion,
      payload: command.payload,
      metadata: metadataOf(saga, step),
    });
    return { topic, envelope };
  });
}

/**
 * The life-cycle events a transition from `before` (null for a saga starting now) to `after` means.
 * A saga that fails and has nothing to undo ends in the same transition: it is still announced
 * as compensating first, so every follower sees the same sequence.
 */
export function lifecycleEvents(
  definition: SagaDefinition,
  saga: PersistedSaga,
  before: Pick<SagaState, 'status' | 'completed' | 'cursor'> | null,
  after: SagaState,
  at: string,
): SagaLifecycleEvent[] {
  const ref = {
    sagaId: saga.id,
    sagaType: definition.type,
    aggregateId: saga.aggregate_id,
    parentSagaId: saga.parent_saga_id,
    userId: saga.user_id,
    at,
  };
  const events: SagaLifecycleEvent[] = [];
  const add = <E extends SagaLifecycleEvent>(type: E['type'], payload: E['payload']) =>
    events.push({ type, schemaVersion: 1, payload } as SagaLifecycleEvent);
  if (!before) add('SagaStarted', ref);
  const done = new Set(before?.completed ?? []);
  for (const index of after.completed)
    if (!done.has(index) && definition.steps[index].command)
      add('SagaStepCompleted', { ...ref, step: definition.steps[index].name });
  const was = before?.status ?? 'RUNNING';
  if (was === after.status) return events;
  const failure = (after.compensationFailure ?? after.failure) as SagaFailureReason | null;
  // A saga stopped going forward for an operator (FAILED with no compensation failure) never compensated.
  const undoing =
    after.status === 'COMPENSATING' ||
    after.status === 'COMPENSATED' ||
    (after.status === 'FAILED' && after.compensationFailure !== null);
  const wasForward = was === 'RUNNING' || (was === 'FAILED' && before?.cursor?.phase === 'forward');
  if (undoing && wasForward && failure)
    add('SagaCompensating', { ...ref, failure: after.failure as SagaFailureReason });
  if (after.status === 'COMPLETED') add('SagaCompleted', ref);
  if (after.status === 'COMPENSATED' && failure) add('SagaCompensated', { ...ref, failure });
  if (after.status === 'FAILED' && failure) add('SagaFailed', { ...ref, failure });
  if (after.status === 'ABORTED') add('SagaAborted', { ...ref, failure });
  return events;
}

export function lifecycleEnvelopes(
  saga: PersistedSaga,
  events: readonly SagaLifecycleEvent[],
): OutgoingEnvelope[] {
  const topic = 'saga-orchestrator.events';
  return events.map((event) => ({
    topic,
    envelope: envelopeOfMessage({
      topic,
      key: saga.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      payload: event.payload,
      metadata: metadataOf(saga),
    }),
  }));
}
