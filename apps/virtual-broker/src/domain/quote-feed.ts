import type { Quote } from './paper-account.messages';

/**
 * A reproducible market: each symbol walks on its own PRNG stream seeded from (seed, symbol), so the
 * same seed replays the same quotes and adding a symbol never changes another's path. Only integer
 * and exact float operations are used, so every JavaScript engine produces the same sequence.
 */
export interface QuoteFeedConfig {
  readonly seed: number;
  readonly startAt: string;
  readonly tickIntervalMs: number;
  readonly symbols: Readonly<Record<string, number>>;
  readonly tickSizeCents: number;
  readonly spreadBps: number;
  /** Largest move of the mid price per tick, in basis points of the price. */
  readonly volatilityBps: number;
  readonly minSize: number;
  readonly maxSize: number;
}

export interface QuoteFeed {
  readonly symbols: readonly string[];
  quoteAt(symbol: string, tick: number): Quote;
  quotesAt(tick: number): Quote[];
}

export const DEFAULT_QUOTE_FEED: QuoteFeedConfig = {
  seed: 1,
  startAt: '2026-01-05T14:30:00Z',
  tickIntervalMs: 1_000,
  symbols: { AAPL: 19_000, MSFT: 42_000, TSLA: 25_000, SPY: 59_000 },
  tickSizeCents: 1,
  spreadBps: 5,
  volatilityBps: 20,
  minSize: 100,
  maxSize: 1_000,
};

/** mulberry32: tiny, fast and well mixed enough for a price simulation (not for secrets). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a, to derive an independent stream per symbol. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash;
}

/** Two ticks keeps the bid at least one tick above zero for any spread up to 10%. */
const MIN_MID_TICKS = 2;

interface Walk {
  readonly next: () => number;
  tick: number;
  midTicks: number;
  quote: Quote;
}

export function createQuoteFeed(config: QuoteFeedConfig = DEFAULT_QUOTE_FEED): QuoteFeed {
  assertValidConfig(config);
  const startMillis = Date.parse(config.startAt);
  const walks = new Map<string, Walk>();

  const startWalk = (symbol: string): Walk => {
    const startPrice = config.symbols[symbol];
    if (startPrice === undefined)
      throw new Error(
        `the quote feed has no symbol ${symbol}; configured: ${Object.keys(config.symbols).join(', ')}`,
      );
    const next = mulberry32((config.seed ^ hashString(symbol)) >>> 0);
    const midTicks = Math.max(MIN_MID_TICKS, Math.round(startPrice / config.tickSizeCents));
    return { next, tick: 0, midTicks, quote: toQuote(symbol, 0, midTicks, next) };
  };

  const toQuote = (symbol: string, tick: number, midTicks: number, next: () => number): Quote => {
    const spreadTicks = Math.max(1, Math.round((midTicks * config.spreadBps) / 10_000));
    const bidTicks = midTicks - Math.floor(spreadTicks / 2);
    return {
      symbol,
      bidCents: bidTicks * config.tickSizeCents,
      askCents: (bidTicks + spreadTicks) * config.tickSizeCents,
      bidSize: size(next),
      askSize: size(next),
      quotedAt: new Date(startMillis + tick * config.tickIntervalMs).toISOString(),
    };
  };

  const size = (next: () => number): number =>
    config.minSize + Math.floor(next() * (config.maxSize - config.minSize + 1));

  const step = (walk: Walk, symbol: string): void => {
    const maxMoveTicks = (walk.midTicks * config.volatilityBps) / 10_000;
    // Stochastic rounding keeps the walk unbiased and lets a price whose largest move is under a tick still move.
    const move = Math.floor(maxMoveTicks * (walk.next() + walk.next() - 1) + walk.next());
    walk.midTicks = Math.max(MIN_MID_TICKS, walk.midTicks + move);
    walk.tick += 1;
    walk.quote = toQuote(symbol, walk.tick, walk.midTicks, walk.next);
  };

  const quoteAt = (symbol: string, tick: number): Quote => {
    if (!Number.isSafeInteger(tick) || tick < 0)
      throw new Error(`tick must be a whole number ≥ 0, got ${tick}`);
    let walk = walks.get(symbol);
    if (!walk || walk.tick > tick) {
      walk = startWalk(symbol);
      walks.set(symbol, walk);
    }
    while (walk.tick < tick) step(walk, symbol);
    return walk.quote;
  };

  const symbols = Object.keys(config.symbols);
  return { symbols, quoteAt, quotesAt: (tick) => symbols.map((symbol) => quoteAt(symbol, tick)) };
}

function assertValidConfig(config: QuoteFeedConfig): void {
  const problems: string[] = [];
  if (!Number.isInteger(config.seed)) problems.push('seed must be an integer');
  if (Number.isNaN(Date.parse(config.startAt))) problems.push('startAt must be an ISO-8601 timestamp');
  if (!Number.isInteger(config.tickIntervalMs) || config.tickIntervalMs < 1)
    problems.push('tickIntervalMs must be a positive integer');
  if (!Number.isInteger(config.tickSizeCents) || config.tickSizeCents < 1)
    problems.push('tickSizeCents must be a positive integer');
  if (!(config.spreadBps >= 0 && config.spreadBps <= 1_000))
    problems.push('spreadBps must be between 0 and 1000');
  if (!(config.volatilityBps >= 0 && config.volatilityBps <= 1_000))
    problems.push('volatilityBps must be between 0 and 1000');
  if (
    !Number.isInteger(config.minSize) ||
    config.minSize < 0 ||
    !Number.isInteger(config.maxSize) ||
    config.maxSize < config.minSize
  ) {
    problems.push('sizes must be whole numbers with 0 ≤ minSize ≤ maxSize');
  }
  for (const [symbol, price] of Object.entries(config.symbols)) {
    if (!Number.isInteger(price) || price < 1)
      problems.push(`start price of ${symbol} must be positive whole cents`);
  }
  if (problems.length > 0) throw new Error(`invalid quote feed configuration: ${problems.join('; ')}`);
}
