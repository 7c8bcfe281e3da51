import type { AutomationEvent as PublishedEvent } from '@tradecore/contracts';
import { type Envelope, type OutgoingMessage, flatEvent } from '@tradecore/eventing';
import type { AutomationEvent } from '../domain/automation.decider';
import type { SignalEvent } from '../domain/signal.decider';
import { orderCommandsOf } from './order-commands';

export const EVENTS_TOPIC = 'automation.events';

/** The one place internal events become the published contract; the token hash and position bookkeeping stay inside. */
export function toIntegrationEvent(event: AutomationEvent | SignalEvent): PublishedEvent | undefined {
  switch (event.type) {
    case 'AutomationCreated': {
      const { type, tokenHash: _secret, ...payload } = event;
      return { type, schemaVersion: 2, payload };
    }
    case 'SignalAccepted': {
      const {
        type,
        positionAfter: _p,
        entriesAfter: _e,
        entry: _n,
        exits: _x,
        cancelsFirst: _c,
        userId: _u,
        accountId: _a,
        broker: _b,
        virtualAccountId: _v,
        ...payload
      } = event;
      return { type, schemaVersion: 1, payload };
    }
    case 'SignalExitsPlaced':
    case 'SignalCancelSent': {
      const { type, userId: _u, accountId: _a, broker: _b, virtualAccountId: _v, ...payload } = event;
      return { type, schemaVersion: 1, payload } as PublishedEvent;
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
    case 'SignalOrderClosed':
    case 'SignalExitUpdated': {
      const { type, ...payload } = event;
      return { type, schemaVersion: 1, payload } as PublishedEvent;
    }
    default: {
      const unhandled: never = event;
      throw new Error(`no integration mapping for ${JSON.stringify(unhandled)}`);
    }
  }
}

/** What an appended event publishes, queued by the append itself; keyed by automation, a signal's events included, so they stay in order. */
export function integrationMessages(envelope: Envelope): OutgoingMessage[] {
  const event = flatEvent<AutomationEvent | SignalEvent>(envelope);
  const published = toIntegrationEvent(event);
  const key = event.automationId;
  const messages: OutgoingMessage[] = published ? [{ topic: EVENTS_TOPIC, key, ...published }] : [];
  return event.type === 'SignalReceived' ? messages : [...messages, ...orderCommandsOf(event)];
}
