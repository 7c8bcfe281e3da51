import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { MarketMarked } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { formatCents } from '../../domain/money';
import type { Quote } from '../../domain/paper-account.messages';
import { EVENTS_TOPIC } from '../../infrastructure/integration-events';
import { QuoteTicker } from '../../infrastructure/quote-ticker';

export const MARKS_KEY = 'market';

export function marketMarked(quotes: readonly Quote[], tick: number): MarketMarked {
  return {
    type: 'MarketMarked',
    schemaVersion: 1,
    payload: {
      tick,
      marks: quotes.map(({ symbol, bidCents, askCents }) => ({
        symbol,
        bid: formatCents(bidCents),
        ask: formatCents(askCents),
      })),
      markedAt: quotes[0]?.quotedAt ?? new Date().toISOString(),
    },
  };
}

/**
 * Every tick's quotes go out on Kafka, so followers (broker-account) value positions at the same
 * marks as GET /accounts. Only the replica that ticks publishes; a lost mark is made good by the next.
 */
@Injectable()
export class MarketMarksPublisher implements OnModuleInit {
  private readonly logger = new Logger(MarketMarksPublisher.name);

  constructor(
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    this.ticker.onTick(async (quotes, tick) => {
      if (quotes.length === 0) return;
      await this.store
        .send([{ topic: EVENTS_TOPIC, key: MARKS_KEY, ...marketMarked(quotes, tick) }])
        .catch((error: Error) => this.logger.warn(`marks of tick ${tick} not published: ${error.message}`));
    });
  }
}
