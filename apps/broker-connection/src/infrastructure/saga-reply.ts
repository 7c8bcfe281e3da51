import type { EntityManager } from 'typeorm';
import type { SagaCommand, SagaCommandResult } from '@tradecore/contracts';
import { answerSagaCommand as answer, Envelope, EventStore, type SagaReplying } from '@tradecore/eventing';
import { BrokerAdapterError } from './adapters/broker-adapter';

const isBrokerRefusal = (error: unknown): error is BrokerAdapterError => error instanceof BrokerAdapterError;

type Work<C extends SagaCommand['type']> = (reply: SagaReplying<C>) => Promise<SagaCommandResult<C>>;

/** In this service a broker's refusal (bad credentials, timeout) is an answer too, not a crash to retry. */
export function answerSagaCommand<C extends SagaCommand['type']>(
  store: EventStore,
  envelope: Envelope,
  manager: EntityManager,
  work: Work<C>,
): Promise<void> {
  return answer<C>(store, envelope, manager, work, { isRefusal: isBrokerRefusal });
}

/** For a command whose only write is the append that carries its reply: answered without a savepoint. */
export function answerWithTheAppend<C extends SagaCommand['type']>(
  store: EventStore,
  envelope: Envelope,
  manager: EntityManager,
  work: Work<C>,
): Promise<void> {
  return answer<C>(store, envelope, manager, work, {
    isRefusal: isBrokerRefusal,
    onlyWriteIsTheReplyingAppend: true,
  });
}
