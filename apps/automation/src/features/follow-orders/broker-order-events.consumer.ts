import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BrokerOrderEvent, brokerOrderEventTypes } from '@tradecore/contracts';
import { contractMessageOf, type Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import type { OrderOutcome } from '../../domain/automation.decider';
import { AutomationStream } from '../../infrastructure/automation-stream';
import { mayConcernAnAutomation, recordOrderOutcome } from './order-outcomes';

/** BrokerOrderPlaced only says the order went out; it is on the book once the broker accepted it. */
export const BROKER_ORDER_EVENTS = [
  'BrokerOrderAccepted',
  'BrokerOrderPartiallyFilled',
  'BrokerOrderFilled',
  'BrokerOrderRejected',
  'BrokerOrderCancelled',
  'BrokerOrderExpired',
] as const;

type FollowedEvent = Extract<BrokerOrderEvent, { type: (typeof BROKER_ORDER_EVENTS)[number] }>;
const isFollowed = (event: BrokerOrderEvent): event is FollowedEvent =>
  (BROKER_ORDER_EVENTS as readonly string[]).includes(event.type);

/** A real broker's order life cycle in the paper broker's words, which the automation already speaks. */
export function brokerOutcomeOf(event: FollowedEvent): OrderOutcome {
  const { orderId } = event.payload;
  switch (event.type) {
    case 'BrokerOrderAccepted':
      return { kind: 'placed', orderId, at: event.payload.acceptedAt };
    case 'BrokerOrderPartiallyFilled':
    case 'BrokerOrderFilled': {
      const { quantity, price, filledQuantity, remainingQuantity, filledAt } = event.payload;
      return {
        kind: 'filled',
        orderId,
        quantity: String(quantity),
        price,
        filledQuantity: String(filledQuantity),
        remainingQuantity: String(remainingQuantity),
        at: filledAt,
      };
    }
    case 'BrokerOrderRejected':
      return { kind: 'rejected', orderId, reason: event.payload.reason, at: event.payload.rejectedAt };
    case 'BrokerOrderCancelled':
      return { kind: 'cancelled', orderId, at: event.payload.cancelledAt };
    case 'BrokerOrderExpired':
      return { kind: 'expired', orderId, at: event.payload.expiredAt };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Follows the orders on real broker accounts (broker-connection's) and records the outcome of the ones an automation placed. */
@ConsumesTopic('broker-orders.events', {
  group: 'automation.broker-order-outcomes',
  knownTypes: brokerOrderEventTypes,
  handles: BROKER_ORDER_EVENTS,
  handlesMessage: mayConcernAnAutomation,
})
export class BrokerOrderEventsConsumer implements TopicConsumer {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async handle(envelope: Received<'broker-orders.events'>, manager: EntityManager): Promise<void> {
    const event = contractMessageOf<'broker-orders.events'>(envelope);
    if (isFollowed(event)) await recordOrderOutcome(this.stream, brokerOutcomeOf(event), manager);
  }
}
