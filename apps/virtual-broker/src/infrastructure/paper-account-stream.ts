import type { FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type CommandPath, commandPath, EventStore } from '@tradecore/eventing';
import { createPaperAccountDecider, type PaperAccountState } from '../domain/paper-account.decider';
import type { PaperAccountCommand, PaperAccountEvent } from '../domain/paper-account.messages';
import { paperAccountProjection } from '../projections/paper-account.projection';
import type { VirtualBrokerEnv } from '../virtual-broker.env';
import { integrationMessages } from './integration-events';
import { LiveUpdates } from './live-updates';
import { staleQuoteAfterMs } from './quote-staleness';

/** 2: closed orders kept in chunks (domain/closed-orders.ts); snapshots of the older shape are replayed past. */
const STATE_SCHEMA_VERSION = 2;

/**
 * Ticks and traders write the same account streams; inside one process they queue, and a race lost
 * to another replica is decided again: with two replicas bursting on one account a command loses
 * about every other race, so ten attempts make a refusal (409) a one-in-a-thousand event.
 */
const ATTEMPTS_ON_CONFLICT = 10;

/** The command path of the paper account; every committed result is pushed to its owner's sockets. */
export type PaperAccountStream = CommandPath<PaperAccountCommand, PaperAccountEvent, PaperAccountState>;
export const PaperAccountStream = Symbol('PaperAccountStream');

export const paperAccountStreamProvider: FactoryProvider<PaperAccountStream> = {
  provide: PaperAccountStream,
  inject: [EventStore, ConfigService, LiveUpdates],
  useFactory: (store: EventStore, config: ConfigService<VirtualBrokerEnv, true>, live: LiveUpdates) =>
    commandPath(store, {
      decider: createPaperAccountDecider({
        marketBuyCollarBps: config.get('MARKET_BUY_COLLAR_BPS', { infer: true }),
        staleQuoteAfterMs: staleQuoteAfterMs(config),
      }),
      streamType: 'PaperAccount',
      stateSchemaVersion: STATE_SCHEMA_VERSION,
      projectors: [paperAccountProjection(store.schema)],
      batchableProjectors: true,
      outgoing: integrationMessages,
      attemptsOnConflict: ATTEMPTS_ON_CONFLICT,
      afterCommit: (result) => live.publishResult(result),
    }),
};
