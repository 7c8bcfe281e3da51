import { currentMessageContext, runInMessageContext } from '@tradecore/eventing';
import type { SagaRow } from './saga-repository';

// What a saga's work runs under when no message brought it: whose saga it is, and which trace it continues.

/** The user a trigger's payload names, for a trigger whose envelope names none. */
export const userIdIn = (payload: unknown): string | undefined =>
  typeof payload === 'object' && payload !== null && 'userId' in payload && typeof payload.userId === 'string'
    ? payload.userId
    : undefined;

/**
 * Work no message brought (a deadline passing) runs in the saga's own context: its correlation id
 * and the trace of the message that started it, so its span and the commands it sends continue
 * that trace instead of starting one of their own. Inside a message's context it changes nothing.
 */
export function inSagaTrace<T>(
  saga: Pick<SagaRow, 'id' | 'correlation_id' | 'traceparent'>,
  work: () => Promise<T>,
): Promise<T> {
  if (currentMessageContext()) return work();
  const context = {
    correlationId: saga.correlation_id,
    messageId: null,
    sagaId: saga.id,
    ...(saga.traceparent && { traceparent: saga.traceparent }),
  };
  return runInMessageContext(context, work);
}
