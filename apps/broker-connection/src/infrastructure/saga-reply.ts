import type { EntityManager } from 'typeorm';
import type { SagaCommand, SagaCommandResult } from '@tradecore/contracts';
import { answerSagaCommand as answer, Envelope, EventStore } from '@tradecore/eventing';
import { BrokerAdapterError } from './adapters/broker-adapter';

const isBrokerRefusal = (error: unknown): error is BrokerAdapterError => error instanceof BrokerAdapterError;

/** In this service a broker's refusal (bad credentials, timeout) is an answer too, not a crash to retry. */
export function answerSagaCommand<C extends SagaCommand['type']>(
  store: EventStore,
  envelope: Envelope,
  manager: EntityManager,
  work: () => Promise<SagaCommandResult<C>>,
): Promise<void> {
  return answer<C>(store, envelope, manager, work, { isRefusal: isBrokerRefusal });
}
