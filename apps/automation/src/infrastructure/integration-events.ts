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
        exits: _x,
        cancelsFirst: _c,
        userId: _u,
        virtualAccountId: _v,
        ...payload
      } = event;
      return { type, schemaVersion: 1, payload };
    }
    case 'SignalExitsPlaced':
    case 'SignalCancelSent': {
      const { type, userId: _u, virtualAccountId: _v, ...payload } = event;
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

/** The order commands a decision sends to the broker service that owns the account (the paper broker for now). */
function orderCommandsOf(event: AutomationEvent | SignalEvent): VirtualBrokerOrderCommand[] {
  if (
    event.type !== 'SignalCancelSent' &&
    event.type !== 'SignalExitsPlaced' &&
    event.type !== 'SignalAccepted'
  )
    return [];
  const cancel = (orderId: string): VirtualBrokerOrderCommand => ({
    type: 'CancelOrder',
    schemaVersion: 1,
    payload: { orderId, virtualAccountId: event.virtualAccountId, userId: event.userId },
  });
  if (event.type === 'SignalCancelSent') return event.orderIds.map(cancel);
  if (event.type === 'SignalExitsPlaced') return exitCommandsOf(event);
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
  // Same key, so the broker cancels the take-profit and stop-loss before this order sells their shares.
  return [...(event.cancelsFirst ?? []).map(cancel), command];
}

/** A take-profit limit and a stop-loss stop order, good till cancelled, one-cancels-other. */
function exitCommandsOf(
  event: Extract<AutomationEvent, { type: 'SignalExitsPlaced' }>,
): VirtualBrokerOrderCommand[] {
  const leg = (
    orderId: string,
    prices: { kind: 'limit'; limitPrice: string } | { kind: 'stop'; stopPrice: string },
  ) => ({
    type: 'PlaceOrder' as const,
    schemaVersion: 1 as const,
    payload: {
      orderId,
      virtualAccountId: event.virtualAccountId,
      userId: event.userId,
      symbol: event.symbol,
      side: event.side,
      quantity: event.quantity,
      ocoGroupId: event.ocoGroupId,
      timeInForce: 'gtc' as const,
      ...prices,
    },
  });
  return [
    ...(event.takeProfit
      ? [leg(event.takeProfit.orderId, { kind: 'limit', limitPrice: event.takeProfit.limitPrice })]
      : []),
    ...(event.stopLoss
      ? [leg(event.stopLoss.orderId, { kind: 'stop', stopPrice: event.stopLoss.stopPrice })]
      : []),
  ];
}

/** What an appended event publishes, queued by the append itself; keyed by automation, a signal's events included, so they stay in order. */
export function integrationMessages(envelope: Envelope): OutgoingMessage[] {
  const event = flatEvent<AutomationEvent | SignalEvent>(envelope);
  const published = toIntegrationEvent(event);
  const key = event.automationId;
  const messages: OutgoingMessage[] = published ? [{ topic: EVENTS_TOPIC, key, ...published }] : [];
  for (const command of orderCommandsOf(event))
    messages.push({ topic: ORDER_COMMANDS_TOPIC, key: command.payload.virtualAccountId, ...command });
  return messages;
}
