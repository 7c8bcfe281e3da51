import type { EntityManager } from 'typeorm';
import type { SagaCommand, SagaCommandResult, SagaReply } from '@tradecore/contracts';
import { DomainError, Envelope, EventStore } from '@tradecore/eventing';

/**
 * Runs one saga command and answers it on `saga.replies` in the same transaction, so the
 * reply leaves only if the effects commit. A broken rule is a failed reply with its code;
 * anything else is thrown, to be retried and finally dead-lettered.
 */
export async function answerSagaCommand<C extends SagaCommand['type']>(
  store: EventStore,
  envelope: Envelope,
  manager: EntityManager,
  work: () => Promise<SagaCommandResult<C>>,
): Promise<void> {
  const origin = {
    sagaId: envelope.sagaId ?? '',
    step: envelope.sagaStep ?? '',
    commandType: envelope.type as C,
    commandMessageId: envelope.messageId,
  };
  let payload: SagaReply<C>['payload'];
  try {
    payload = { ...origin, outcome: 'succeeded', result: await work() } as SagaReply<C>['payload'];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    payload = {
      ...origin,
      outcome: 'failed',
      reason: { code: error.code, message: error.message },
    } as SagaReply<C>['payload'];
  }
  await store.send(
    [{ topic: 'saga.replies', key: origin.sagaId || envelope.streamId, type: 'SagaReply', payload }],
    manager,
  );
}
