import type { EntityManager } from 'typeorm';
import type { SagaCommand, SagaCommandResult, SagaReply } from '@tradecore/contracts';
import { DomainError } from '../decider/domain-error';
import type { Envelope } from '../envelope/envelope';
import type { EventStore } from '../event-store/event-store';
import type { OutgoingMessage } from '../outbox/outgoing-message';

export interface Refusal {
  readonly code: string;
  readonly message: string;
  /** Worth asking again later; the orchestrator retries the step before compensating. */
  readonly transient?: boolean;
}

export interface AnswerSagaCommandOptions {
  /** Errors besides DomainError that are a participant's considered answer, e.g. a broker's refusal. */
  readonly isRefusal?: (error: unknown) => error is Refusal;
  /**
   * The work refuses, if at all, before it writes: a decider refusing before the one append that
   * carries the reply (`reply.alongside`), or a key issued once the payload is checked. A refusal
   * then has nothing to roll back, so no savepoint is taken. A refusal after the replying append
   * cannot be answered and is thrown like any other error.
   */
  readonly refusesBeforeWriting?: boolean;
}

/** Lets the success reply travel in the statement that appends the command's events. */
export interface SagaReplying<C extends SagaCommand['type']> {
  /** For the append's `outgoing`: queues the success reply with the first appended event. */
  alongside(result: SagaCommandResult<C>): (event: Envelope) => readonly OutgoingMessage[];
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
  work: (reply: SagaReplying<C>) => Promise<SagaCommandResult<C>>,
  options: AnswerSagaCommandOptions = {},
): Promise<void> {
  const origin = {
    sagaId: envelope.sagaId ?? envelope.correlationId,
    step: envelope.sagaStep ?? envelope.type,
    commandType: envelope.type as C,
    commandMessageId: envelope.messageId,
  };
  const replyOf = (payload: SagaReply<C>['payload']): OutgoingMessage => ({
    topic: 'saga.replies',
    key: origin.sagaId,
    type: 'SagaReply',
    payload,
  });
  let replyQueued = false;
  const reply: SagaReplying<C> = {
    alongside: (result) => () => {
      if (replyQueued) return [];
      replyQueued = true;
      return [replyOf({ ...origin, outcome: 'succeeded', result } as SagaReply<C>['payload'])];
    },
  };
  const savepoint = !options.refusesBeforeWriting;
  if (savepoint) await manager.query('SAVEPOINT saga_command');
  let payload: SagaReply<C>['payload'];
  try {
    payload = { ...origin, outcome: 'succeeded', result: await work(reply) } as SagaReply<C>['payload'];
  } catch (error) {
    if (!(error instanceof DomainError) && !options.isRefusal?.(error)) throw error;
    if (savepoint) await manager.query('ROLLBACK TO SAVEPOINT saga_command');
    else if (replyQueued) throw error;
    replyQueued = false;
    const { code, message, transient } = error as Refusal;
    const reason = { code, message, ...(transient === true && { transient }) };
    payload = { ...origin, outcome: 'failed', reason } as SagaReply<C>['payload'];
  }
  if (!replyQueued) await store.send([replyOf(payload)], manager);
}
