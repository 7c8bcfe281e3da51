import type { AutomationEvent as PublishedEvent, VirtualBrokerOrderCommand } from '@tradecore/contracts';
import { type Envelope, type OutgoingMessage, flatEvent } from '@tradecore/eventing';
import type { AutomationEvent } from '../domain/automation.decider';
import type { SignalEvent } from '../domain/signal.decider';

export const EVENTS_TOPIC = 'automation.events';
const ORDER_COMMANDS_TOPIC = 'virtual-broker.commands';

/** The one place internal events become the published contract; the token hash and position bookkeeping stay inside. */
export function toIntegrationEvent(event: AutomationEvent | SignalEvent): PublishedEvent | undefined {
  switch (event.type) {
    case 'AutomationCreated': {
      const { type, tokenHash: _secret, ...payload } = event;
      return { type, schemaVersion: 1, payload };
    }
    case 'SignalAccepted': {
      const {
        type,
        positionAfter: _p,
        entriesAfter: _e,
        entry: _n,
        userId: _u,
        virtualAccountId: _v,
        ...payload
      } = event;
      return { type, schemaVersion: 1, payload };
    }
    case 'WebhookTokenRotated':
    case 'WebhookSigningSecretIssued':
    case 'WebhookSigningSecretRevoked':
      return undefined;
    case 'AutomationUpdated':
    case 'AutomationPaused':
    case 'AutomationResumed':
    case 'AutomationDeleted':
    case 'AutomationRestored':
    case 'SignalReceived':
    case 'SignalRejected':
    case 'SignalOrderPlaced':
    case 'SignalOrderFilled':
    case 'SignalOrderClosed': {
      const { type, ...payload } = event;
      return { type, schemaVersion: 1, payload } as PublishedEvent;
    }
    default: {
      const unhandled: never = event;
      throw new Error(`no integration mapping for ${JSON.stringify(unhandled)}`);
    }
  }
}

/** An accepted signal's order, sent to the broker service that owns the account (the paper broker for now). */
function orderCommandOf(event: Extract<AutomationEvent, { type: 'SignalAccepted' }>): OutgoingMessage {
  const command: VirtualBrokerOrderCommand = {
    type: 'PlaceOrder',
    schemaVersion: 1,
    payload: {
      orderId: event.orderId,
      virtualAccountId: event.virtualAccountId,
      userId: event.userId,
      symbol: event.symbol,
      side: event.side,
      kind: event.kind,
      quantity: event.quantity,
      ...(event.limitPrice !== undefined && { limitPrice: event.limitPrice }),
      timeInForce: event.timeInForce,
    },
  };
  return { topic: ORDER_COMMANDS_TOPIC, key: event.virtualAccountId, ...command };
}

/** What an appended event publishes, queued by the append itself; keyed by automation, a signal's events included, so they stay in order. */
export function integrationMessages(envelope: Envelope): OutgoingMessage[] {
  const event = flatEvent<AutomationEvent | SignalEvent>(envelope);
  const published = toIntegrationEvent(event);
  const key = event.automationId;
  const messages: OutgoingMessage[] = published ? [{ topic: EVENTS_TOPIC, key, ...published }] : [];
  if (event.type === 'SignalAccepted') messages.push(orderCommandOf(event));
  return messages;
}
