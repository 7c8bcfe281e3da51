import type { VirtualBrokerEvent } from '@tradecore/contracts';
import { type Envelope, type EventStore, type OutgoingMessage, flatEvent } from '@tradecore/eventing';
import { formatCents } from '../domain/money';
import type { PaperAccountEvent } from '../domain/paper-account.messages';

export const EVENTS_TOPIC = 'virtual-broker.events';

const lower = <T extends string>(value: T) => value.toLowerCase() as Lowercase<T>;

/** The one place internal paper-account events become the published contract; the rest stay inside. */
export function toIntegrationEvent(envelope: Envelope): VirtualBrokerEvent | undefined {
  const event = flatEvent<PaperAccountEvent>(envelope);
  const virtualAccountId = envelope.streamId;
  switch (event.type) {
    case 'OrderPlaced':
      return message({
        type: 'OrderPlaced',
        payload: {
          orderId: event.orderId,
          virtualAccountId,
          symbol: event.symbol,
          side: lower(event.side),
          kind: lower(event.orderType),
          timeInForce: lower(event.timeInForce),
          quantity: String(event.quantity),
          ...(event.limitPriceCents !== null && { limitPrice: formatCents(event.limitPriceCents) }),
          ...(event.stopPriceCents != null && { stopPrice: formatCents(event.stopPriceCents) }),
          ...(event.ocoGroupId !== undefined && { ocoGroupId: event.ocoGroupId }),
          reservedCash: formatCents(event.reservedCashCents),
          placedAt: event.placedAt,
        },
      });
    case 'OrderPartiallyFilled':
    case 'OrderFilled':
      return message({
        type: event.type,
        payload: {
          orderId: event.orderId,
          virtualAccountId,
          symbol: event.symbol,
          side: lower(event.side),
          quantity: String(event.quantity),
          price: formatCents(event.priceCents),
          filledQuantity: String(event.filledQuantity),
          remainingQuantity: String(event.remainingQuantity),
          realizedPnl: formatCents(event.realizedPnlCents),
          releasedCash: formatCents(event.releasedCashCents),
          filledAt: event.filledAt,
        },
      });
    case 'OrderReplaced':
      return message({
        type: 'OrderReplaced',
        payload: {
          orderId: event.orderId,
          virtualAccountId,
          symbol: event.symbol,
          side: lower(event.side),
          kind: lower(event.orderType),
          timeInForce: lower(event.timeInForce),
          quantity: String(event.quantity),
          filledQuantity: String(event.filledQuantity),
          remainingQuantity: String(event.remainingQuantity),
          ...(event.limitPriceCents !== null && { limitPrice: formatCents(event.limitPriceCents) }),
          ...(event.stopPriceCents !== null && { stopPrice: formatCents(event.stopPriceCents) }),
          reservedCash: formatCents(event.reservedCashCents),
          releasedCash: formatCents(event.releasedCashCents),
          replacedAt: event.replacedAt,
        },
      });
    case 'OrderCancelled':
      return message({
        type: 'OrderCancelled',
        payload: {
          orderId: event.orderId,
          virtualAccountId,
          reason: lower(event.reason),
          releasedCash: formatCents(event.releasedCashCents),
          cancelledAt: event.cancelledAt,
        },
      });
    case 'OrderExpired':
      return message({
        type: 'OrderExpired',
        payload: {
          orderId: event.orderId,
          virtualAccountId,
          releasedCash: formatCents(event.releasedCashCents),
          expiredAt: event.expiredAt,
        },
      });
    case 'OrderRejected':
      return message({
        type: 'OrderRejected',
        payload: {
          orderId: event.orderId,
          virtualAccountId,
          reason: { code: event.code, message: event.reason },
          rejectedAt: event.rejectedAt,
        },
      });
    case 'PaperAccountReset':
      return message({
        type: 'VirtualAccountReset',
        payload: { virtualAccountId, cash: formatCents(event.cashCents), resetAt: event.resetAt },
      });
    // A trigger changes nothing a subscriber keeps; provisioning, purge and restore are published once per saga command.
    case 'OrderTriggered':
    case 'PaperAccountProvisioned':
    case 'PaperAccountPurged':
    case 'PaperAccountRestored':
      return undefined;
    default: {
      const unhandled: never = event;
      throw new Error(`no integration mapping for ${JSON.stringify(unhandled)}`);
    }
  }
}

type Unversioned<T> = T extends unknown ? Omit<T, 'schemaVersion'> : never;

function message(event: Unversioned<VirtualBrokerEvent>): VirtualBrokerEvent {
  return { ...event, schemaVersion: 1 } as VirtualBrokerEvent;
}

/** What an appended event publishes, queued by the append itself. */
export function integrationMessages(envelope: Envelope): OutgoingMessage[] {
  const published = toIntegrationEvent(envelope);
  return published ? [{ topic: EVENTS_TOPIC, key: envelope.streamId, ...published }] : [];
}

export function sendIntegrationEvent(
  store: EventStore,
  key: string,
  event: VirtualBrokerEvent,
  manager: Parameters<EventStore['send']>[1],
): Promise<Envelope[]> {
  return store.send([{ topic: EVENTS_TOPIC, key, ...event }], manager);
}
