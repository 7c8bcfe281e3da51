import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { VirtualBrokerEvent, virtualBrokerEventTypes } from '@tradecore/contracts';
import { contractMessageOf, type Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { v5 as uuidv5 } from 'uuid';
import type { ExitIds, OrderOutcome } from '../../domain/automation.decider';
import { AutomationStream } from '../../infrastructure/automation-stream';
import { tableOf } from '../../projections/tables';

export const ORDER_EVENTS = [
  'OrderPlaced',
  'OrderPartiallyFilled',
  'OrderFilled',
  'OrderRejected',
  'OrderCancelled',
  'OrderExpired',
] as const;
const EXIT_ID_NAMESPACE = '6f1d2c4e-8b3a-4f5e-9a7c-1d2e3f4a5b6c';

/** An entry's exits follow from its order id, so recording its fill again can never place them twice. */
const exitIdsOf = (entryOrderId: string): ExitIds => ({
  takeProfit: uuidv5(`${entryOrderId}:take-profit`, EXIT_ID_NAMESPACE),
  stopLoss: uuidv5(`${entryOrderId}:stop-loss`, EXIT_ID_NAMESPACE),
  ocoGroupId: uuidv5(`${entryOrderId}:exits`, EXIT_ID_NAMESPACE),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
})
export class OrderEventsConsumer implements TopicConsumer {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async handle(envelope: Received<'virtual-broker.events'>, manager: EntityManager): Promise<void> {
    const event = contractMessageOf<'virtual-broker.events'>(envelope);
    if (!isOrderEvent(event) || !UUID.test(event.payload.orderId)) return;
    const { orderId } = event.payload;
    const [ours]: { automation_id: string }[] = await manager.query(
      `SELECT automation_id FROM ${tableOf(manager, 'signals')} WHERE order_id = $1
       UNION ALL SELECT automation_id FROM ${tableOf(manager, 'exit_orders')} WHERE order_id = $1`,
      [orderId],
    );
    if (!ours) return;
    await this.stream.execute(
      ours.automation_id,
      { type: 'RecordOrderOutcome', outcome: outcomeOf(event), exitIds: exitIdsOf(orderId) },
      { tx: manager },
    );
  }
}
