import { DomainError } from '@tradecore/eventing';
import { isClosed, type PresentOrder } from '../../domain/broker-order.decider';
import { type BrokerOrderStream } from '../../infrastructure/broker-order-stream';

/** An open order of this account, with its broker id; anyone else's reads as missing. */
export async function openOrderOf(stream: BrokerOrderStream, accountId: string, orderId: string) {
  const { state } = await stream.load(orderId);
  if (state.status === 'ABSENT' || state.accountId !== accountId)
    throw new DomainError('ORDER_NOT_FOUND', `this account has no order ${orderId}; check the order id`);
  if (isClosed(state.status) || state.brokerOrderId === null)
    throw new DomainError('ORDER_NOT_OPEN', `order ${orderId} is ${state.status} and can no longer change`);
  return state as PresentOrder & { brokerOrderId: string };
}
