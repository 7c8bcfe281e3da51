import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { VirtualBrokerEvent, virtualBrokerEventTypes } from '@tradecore/contracts';
import { contractMessageOf, type Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import type { OrderOutcome } from '../../domain/automation.decider';
import { AutomationStream } from '../../infrastructure/automation-stream';
import { mayConcernAnAutomation, recordOrderOutcome } from './order-outcomes';

export const ORDER_EVENTS = [
  'OrderPlaced',
  'OrderPartiallyFilled',
  'OrderFilled',
  'OrderRejected',
  'OrderCancelled',
  'OrderExpired',
] as const;

type OrderEvent = Extract<VirtualBrokerEvent, { type: (typeof ORDER_EVENTS)[number] }>;
const isOrderEvent = (event: VirtualBrokerEvent): event is OrderEvent =>
  (ORDER_EVENTS as readonly string[]).includes(event.type);

function outcomeOf(event: OrderEvent): OrderOutcome {
  switch (event.type) {
    case 'OrderPlaced':
      return { kind: 'placed', orderId: event.payload.orderId, at: event.payload.placedAt };
    case 'OrderPartiallyFilled':
    case 'OrderFilled': {
      const { orderId, quantity, price, filledQuantity, remainingQuantity, filledAt } = event.payload;
      return { kind: 'filled', orderId, quantity, price, filledQuantity, remainingQuantity, at: filledAt };
    }
    case 'OrderRejected':
      return {
        kind: 'rejected',
        orderId: event.payload.orderId,
        reason: event.payload.reason,
        at: event.payload.rejectedAt,
      };
    case 'OrderCancelled':
      return { kind: 'cancelled', orderId: event.payload.orderId, at: event.payload.cancelledAt };
    case 'OrderExpired':
      return { kind: 'expired', orderId: event.payload.orderId, at: event.payload.expiredAt };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Follows the paper broker's orders and records the outcome of the ones an automation placed on their signal. */
@ConsumesTopic('virtual-broker.events', {
  group: 'automation.order-outcomes',
  knownTypes: virtualBrokerEventTypes,
  handles: ORDER_EVENTS,
  handlesMessage: mayConcernAnAutomation,
})
export class OrderEventsConsumer implements TopicConsumer {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async handle(envelope: Received<'virtual-broker.events'>, manager: EntityManager): Promise<void> {
    const event = contractMessageOf<'virtual-broker.events'>(envelope);
    if (isOrderEvent(event)) await recordOrderOutcome(this.stream, outcomeOf(event), manager);
  }
}
