import type { FactoryProvider } from '@nestjs/common';
import { type CommandPath, commandPath, EventStore } from '@tradecore/eventing';
import {
  type AutomationCommand,
  type AutomationEvent,
  automationDecider,
  type AutomationState,
} from '../domain/automation.decider';
import {
  type ReceiveSignal,
  signalDecider,
  type SignalEvent,
  type SignalState,
} from '../domain/signal.decider';
import { automationProjection } from '../projections/automation.projection';
import { integrationMessages } from './integration-events';

/** Webhooks, order outcomes and their owner write the same stream; a lost race is decided again. */
const ATTEMPTS_ON_CONFLICT = 8;

export type AutomationStream = CommandPath<AutomationCommand, AutomationEvent, AutomationState>;
export const AutomationStream = Symbol('AutomationStream');

/** One stream per signal id, written once: the webhook appends it unread and a second receipt loses the version. */
export type SignalStream = CommandPath<ReceiveSignal, SignalEvent, SignalState>;
export const SignalStream = Symbol('SignalStream');

export const automationStreamProviders: FactoryProvider[] = [
  {
    provide: AutomationStream,
    inject: [EventStore],
    useFactory: (store: EventStore): AutomationStream =>
      commandPath(store, {
        decider: automationDecider,
        streamType: 'Automation',
        projectors: [automationProjection(store.schema)],
        outgoing: integrationMessages,
        attemptsOnConflict: ATTEMPTS_ON_CONFLICT,
      }),
  },
  {
    provide: SignalStream,
    inject: [EventStore],
    useFactory: (store: EventStore): SignalStream =>
      commandPath(store, {
        decider: signalDecider,
        streamType: 'Signal',
        projectors: [automationProjection(store.schema)],
        outgoing: integrationMessages,
        snapshotEvery: 0,
      }),
  },
];
