import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import {
  CommandResult,
  EventStore,
  handleCommand,
  InlineProjector,
  loadStream,
  VersionConflictError,
} from '@tradecore/eventing';
import { createPaperAccountDecider, PaperAccountState } from '../domain/paper-account.decider';
import type { PaperAccountCommand, PaperAccountEvent } from '../domain/paper-account.messages';
import { paperAccountProjection } from '../projections/paper-account.projection';
import type { VirtualBrokerEnv } from '../virtual-broker.env';
import { integrationMessages } from './integration-events';
import { LiveUpdates } from './live-updates';
import { staleQuoteAfterMs } from './quote-staleness';

export const STREAM_TYPE = 'PaperAccount';

/** 2: closed orders kept in chunks (domain/closed-orders.ts); snapshots of the older shape are replayed past. */
export const STATE_SCHEMA_VERSION = 2;

/** Ticks and traders write the same account streams; a lost race is simply decided again. */
const ATTEMPTS_ON_CONFLICT = 5;

export type PaperAccountResult = CommandResult<PaperAccountEvent, PaperAccountState>;

/** The command path of the paper account: decide, append with its projections, then tell the owner's sockets. */
@Injectable()
export class PaperAccountStream {
  readonly decider;
  private readonly projectors: readonly InlineProjector[];

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConfigService) config: ConfigService<VirtualBrokerEnv, true>,
    @Inject(LiveUpdates) private readonly live: LiveUpdates,
  ) {
    this.decider = createPaperAccountDecider({
      marketBuyCollarBps: config.get('MARKET_BUY_COLLAR_BPS', { infer: true }),
      staleQuoteAfterMs: staleQuoteAfterMs(config),
    });
    this.projectors = [paperAccountProjection(store.schema)];
  }

  /**
   * Outside a transaction the result is pushed live once committed. Inside a caller's transaction
   * (a saga command) nothing is pushed: the caller may still roll back.
   */
  async execute(
    accountId: string,
    command: PaperAccountCommand,
    manager?: EntityManager,
  ): Promise<PaperAccountResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await handleCommand({
          store: this.store,
          decider: this.decider,
          streamId: accountId,
          streamType: STREAM_TYPE,
          stateSchemaVersion: STATE_SCHEMA_VERSION,
          command,
          inlineProjectors: this.projectors,
          outgoing: integrationMessages,
          manager,
        });
        if (!manager) await this.live.publishResult(result);
        return result;
      } catch (error) {
        if (manager || !(error instanceof VersionConflictError) || attempt >= ATTEMPTS_ON_CONFLICT)
          throw error;
      }
    }
  }

  async load(accountId: string): Promise<PaperAccountState> {
    return (await loadStream(this.store, this.decider, accountId, STATE_SCHEMA_VERSION)).state;
  }
}
