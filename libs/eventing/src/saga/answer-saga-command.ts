import type { EntityManager } from 'typeorm';
import type { SagaCommand, SagaCommandResult, SagaReply } from '@tradecore/contracts';
import { DomainError } from '../decider/domain-error';
import type { Envelope } from '../envelope/envelope';
import type { EventStore } from '../event-store/event-store';

export interface Refusal {
  readonly code: string;
  readonly message: string;
}

export interface AnswerSagaCommandOptions {
  /** Errors besides DomainError that are a participant's considered answer, e.g. a broker's refusal. */
  readonly isRefusal?: (error: unknown) => error is Refusal;
}

/**
 * Runs one saga command and answers it on `saga.replies` inside the consumer's transaction, so
 * the reply leaves only if the effects commit. A refusal rolls the command's own effects back to
 * a savepoint and is answered as a failure with its code; any other error is thrown, to be
 * retried and finally dead-lettered, which the orchestrator's step timeout covers.
 */
export async function answerSagaCommand<C extends SagaCommand['type']>(
  store: EventStore,
  envelope: Envelope,
  manager: EntityManager,
  work: () => Promise<SagaCommandResult<C>>,
  options: AnswerSagaCommandOptions = {},
): Promise<void> {
  const origin = {
    sagaId: envelope.sagaId ?? envelope.correlationId,
    step: envelope.sagaStep ?? envelope.type,
    commandType: envelope.type as C,
    commandMessageId: envelope.messageId,
  };
  let payload: SagaReply<C>['payload'];
  await manager.query('SAVEPOINT saga_command');
  try {
    payload = { ...origin, outcome: 'succeeded', result: await work() } as SagaReply<C>['payload'];
  } catch (error) {
    if (!(error instanceof DomainError) && !options.isRefusal?.(error)) throw error;
    await manager.query('ROLLBACK TO SAVEPOINT saga_command');
    const { code, message } = error as Refusal;
    payload = { ...origin, outcome: 'failed', reason: { code, message } } as SagaReply<C>['payload'];
  }
  await store.send([{ topic: 'saga.replies', key: origin.sagaId, type: 'SagaReply', payload }], manager);
}
