import type { EntityManager } from 'typeorm';
import type { Reason, SagaCommand, SagaCommandResult, SagaReply } from '@tradecore/contracts';
import { DomainError, Envelope, EventStore } from '@tradecore/eventing';
import { BrokerAdapterError } from './adapters/broker-adapter';

/**
 * Runs one saga command and answers it on `saga.replies` in the same transaction, so the
 * reply leaves only if the effects commit. A broken rule or a broker refusal is a failed
 * reply with its code; anything else is thrown, to be retried and finally dead-lettered.
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
    const reason = reasonOf(error);
    if (!reason) throw error;
    payload = { ...origin, outcome: 'failed', reason } as SagaReply<C>['payload'];
  }
  await store.send(
    [{ topic: 'saga.replies', key: origin.sagaId || envelope.streamId, type: 'SagaReply', payload }],
    manager,
  );
}

function reasonOf(error: unknown): Reason | undefined {
  if (error instanceof DomainError || error instanceof BrokerAdapterError)
    return { code: error.code, message: error.message };
  return undefined;
}
