import type { SignalReceived, WebhookSignal } from '@tradecore/contracts';
import type { Decider } from '@tradecore/eventing/domain';

// A signal is its own stream so receiving one never contends with its automation's stream, and a
// sender's signalId received twice is the same stream: written once, the second receipt loses its
// version (the webhook appends it as a new stream, unread).

export type SignalEvent = { readonly type: 'SignalReceived' } & SignalReceived['payload'];

export interface ReceiveSignal {
  readonly type: 'ReceiveSignal';
  readonly signalId: string;
  readonly automationId: string;
  readonly userId: string;
  readonly signal: WebhookSignal;
  readonly at: string;
}

export type SignalState =
  { readonly received: false } | { readonly received: true; readonly automationId: string };

export const signalDecider: Decider<ReceiveSignal, SignalEvent, SignalState> = {
  initialState: { received: false },
  evolve: (_state, event) => ({ received: true, automationId: event.automationId }),
  decide: (command) => {
    const { signalId, automationId, userId, signal, at } = command;
    return [{ type: 'SignalReceived', signalId, automationId, userId, signal, receivedAt: at }];
  },
};
