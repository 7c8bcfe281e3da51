import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { DomainError, EventStore } from '@tradecore/eventing';
import {
  type BackgroundWork,
  LoopHeartbeat,
  LoopHeartbeats,
  redisChannel,
  RunsInWorkers,
} from '@tradecore/eventing/nest';
import { parseCents } from '../domain/money';
import type { Quote } from '../domain/paper-account.messages';
import { createQuoteFeed, DEFAULT_QUOTE_FEED, QuoteFeed } from '../domain/quote-feed';
import type { VirtualBrokerEnv } from '../virtual-broker.env';
import { staleQuoteAfterMs } from './quote-staleness';

type TickListener = (quotes: readonly Quote[], tick: number) => Promise<void> | void;
type QuoteListener = (quotes: readonly Quote[]) => void;

// Takes the lease if free or renews it if ours, atomically; 1 when this replica may tick.
const HOLD_LEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;

/**
 * The market. Prices follow the seeded feed tick by tick, so a seed replays the same prices;
 * quotes are stamped with the wall clock at the tick, because fills compare a quote's time with
 * the time an order was placed. Ticks run one after another: a tick's fills finish before the
 * next tick is priced. With several replicas only the holder of a Redis lease ticks; every tick
 * is broadcast so all replicas price orders and feed sockets from the same quote.
 */
@Injectable()
@RunsInWorkers()
export class QuoteTicker implements OnModuleInit, BackgroundWork, OnModuleDestroy {
  private readonly logger = new Logger(QuoteTicker.name);
  private readonly feed: QuoteFeed;
  private readonly tickMs: number;
  private readonly staleAfterMs: number | undefined;
  private readonly quoteListeners: QuoteListener[] = [];
  private readonly listeners: TickListener[] = [];
  private readonly latest = new Map<string, Quote>();
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private readonly leaseKey: string;
  private subscriber?: Redis;
  private tickNumber = 0;
  private lastStamp = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private busy = false;
  private readonly heartbeat: LoopHeartbeat;

  constructor(
    @Inject(ConfigService) config: ConfigService<VirtualBrokerEnv, true>,
    @Inject(Redis) private readonly redis: Redis,
    @Inject(EventStore) store: EventStore,
    @Inject(LoopHeartbeats) heartbeats: LoopHeartbeats,
  ) {
    this.heartbeat = heartbeats.of('quote-ticker');
    this.tickMs = config.get('QUOTE_TICK_MS', { infer: true });
    this.staleAfterMs = staleQuoteAfterMs(config);
    this.feed = createQuoteFeed({
      ...DEFAULT_QUOTE_FEED,
      seed: config.get('QUOTE_SEED', { infer: true }),
      symbols: startingPrices(config.get('QUOTE_SYMBOLS', { infer: true })),
      spreadBps: config.get('QUOTE_SPREAD_BPS', { infer: true }),
      volatilityBps: config.get('QUOTE_VOLATILITY_BPS', { infer: true }),
      minSize: config.get('QUOTE_MIN_SIZE', { infer: true }),
      maxSize: config.get('QUOTE_MAX_SIZE', { infer: true }),
    });
    this.channel = redisChannel(redis, `virtual-broker:${store.schema}:quotes`);
    this.leaseKey = `virtual-broker:${store.schema}:ticker`;
    this.price(0);
  }

  get manual(): boolean {
    return this.tickMs === 0;
  }

  get tick(): number {
    return this.tickNumber;
  }

  get symbols(): readonly string[] {
    return this.feed.symbols;
  }

  /** A timed feed that has not ticked for longer than the staleness bound: its quotes are not the market. */
  get stale(): boolean {
    const [latest] = this.latest.values();
    return (
      this.staleAfterMs !== undefined &&
      !!latest &&
      Date.now() - Date.parse(latest.quotedAt) > this.staleAfterMs
    );
  }

  async onModuleInit(): Promise<void> {
    // A subscriber waits for its own first connection (the service client stops queueing once ready).
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('message', (_channel: string, raw: string) => {
      const { tick, quotes } = JSON.parse(raw) as { tick: number; quotes: Quote[] };
      if (tick <= this.tickNumber) return;
      this.tickNumber = tick;
      this.apply(quotes);
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Only workers tick; an api replica prices orders from the ticks it hears. */
  start(): void {
    if (this.manual) return;
    this.timer = setInterval(() => {
      // A slow tick is skipped rather than queued, so the feed never falls behind the clock.
      if (this.busy) return;
      this.busy = true;
      // Bounded waits on Redis and PostgreSQL end a tick during an outage; the heartbeat shows one that never ends.
      void this.heartbeat
        .around(async () => ((await this.holdLease()) ? this.advance(1) : undefined))
        .catch((error: Error) => this.logger.error(`tick failed: ${error.message}`))
        .finally(() => (this.busy = false));
    }, this.tickMs);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Told first, synchronously: whoever shows quotes sees a tick before the fills it causes. */
  onQuotes(listener: QuoteListener): void {
    this.quoteListeners.push(listener);
  }

  onTick(listener: TickListener): void {
    this.listeners.push(listener);
  }

  current(symbol: string): Quote | undefined {
    return this.latest.get(symbol);
  }

  currentQuotes(): Quote[] {
    return [...this.latest.values()];
  }

  /** The quote an order in `symbol` trades against now, or UNKNOWN_SYMBOL naming the ones there are. */
  quoteFor(symbol: string): Quote {
    const quote = this.latest.get(symbol);
    if (!quote) {
      throw new DomainError(
        'UNKNOWN_SYMBOL',
        `the paper broker does not quote ${symbol}; tradable symbols: ${this.feed.symbols.join(', ')}`,
        { symbols: this.feed.symbols },
      );
    }
    return quote;
  }

  /** Moves the market `count` ticks, each waiting for the fills it triggers. */
  advance(count: number): Promise<readonly Quote[]> {
    const run = this.queue.then(async () => {
      for (let i = 0; i < count; i += 1) {
        const quotes = this.price(this.tickNumber + 1);
        this.apply(quotes);
        await this.redis
          .publish(this.channel, JSON.stringify({ tick: this.tickNumber, quotes }))
          .catch((error: Error) => this.logger.warn(`tick not broadcast: ${error.message}`));
        for (const listener of this.listeners) await listener(quotes, this.tickNumber);
      }
      return this.currentQuotes();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private holdLease(): Promise<boolean> {
    const ttl = Math.max(3 * this.tickMs, 1000);
    return this.redis
      .eval(HOLD_LEASE, 1, this.leaseKey, this.instanceId, String(ttl))
      .then((held) => held === 1);
  }

  private price(tick: number): Quote[] {
    this.tickNumber = tick;
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    const quotedAt = new Date(this.lastStamp).toISOString();
    const quotes = this.feed.quotesAt(tick).map((quote) => ({ ...quote, quotedAt }));
    for (const quote of quotes) this.latest.set(quote.symbol, quote);
    return quotes;
  }

  private apply(quotes: readonly Quote[]): void {
    for (const quote of quotes) this.latest.set(quote.symbol, quote);
    for (const listener of this.quoteListeners) listener(quotes);
  }
}

function startingPrices(spec: string): Record<string, number> {
  return Object.fromEntries(
    spec.split(',').map((pair) => {
      const [symbol, price] = pair.split(':');
      return [symbol, parseCents(price) ?? 0];
    }),
  );
}
