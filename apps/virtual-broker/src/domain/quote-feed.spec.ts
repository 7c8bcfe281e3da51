import { createQuoteFeed, mulberry32, type QuoteFeedConfig } from './quote-feed';

const config: QuoteFeedConfig = {
  seed: 42,
  startAt: '2026-01-05T14:30:00.000Z',
  tickIntervalMs: 500,
  symbols: { AAPL: 19_000, MSFT: 42_000 },
  tickSizeCents: 1,
  spreadBps: 10,
  volatilityBps: 50,
  minSize: 100,
  maxSize: 500,
};

function path(feedConfig: QuoteFeedConfig, symbol: string, ticks: number) {
  const feed = createQuoteFeed(feedConfig);
  return Array.from({ length: ticks }, (_, tick) => feed.quoteAt(symbol, tick));
}

describe('simulated quote feed', () => {
  it('starts at the configured price with the configured spread', () => {
    expect(createQuoteFeed(config).quoteAt('AAPL', 0)).toEqual({
      symbol: 'AAPL',
      bidCents: 18_991,
      askCents: 19_010,
      bidSize: expect.any(Number),
      askSize: expect.any(Number),
      quotedAt: '2026-01-05T14:30:00.000Z',
    });
  });

  it('replays the same quotes for the same seed', () => {
    expect(path(config, 'AAPL', 500)).toEqual(path(config, 'AAPL', 500));
  });

  it('walks a different path for a different seed', () => {
    const prices = (seed: number) => path({ ...config, seed }, 'AAPL', 50).map((quote) => quote.bidCents);
    expect(prices(43)).not.toEqual(prices(42));
  });

  it('keeps each symbol independent of which other symbols are configured', () => {
    expect(path({ ...config, symbols: { AAPL: 19_000 } }, 'AAPL', 200)).toEqual(path(config, 'AAPL', 200));
    expect(path({ ...config, symbols: { MSFT: 42_000 } }, 'MSFT', 200)).toEqual(path(config, 'MSFT', 200));
    const directions = (symbol: string) =>
      path(config, symbol, 100).map((quote, tick, quotes) =>
        Math.sign(quote.bidCents - (quotes[tick - 1] ?? quote).bidCents),
      );
    expect(directions('AAPL')).not.toEqual(directions('MSFT'));
  });

  it('gives the same quote for a tick however it is reached', () => {
    const feed = createQuoteFeed(config);
    feed.quoteAt('AAPL', 300);
    expect(feed.quoteAt('AAPL', 120)).toEqual(createQuoteFeed(config).quoteAt('AAPL', 120));
    expect(feed.quotesAt(3).map((quote) => quote.symbol)).toEqual(['AAPL', 'MSFT']);
  });

  it('keeps a cheap, volatile symbol positive, on the tick size, with ask above bid and sizes in range', () => {
    const quotes = path(
      { ...config, symbols: { PENNY: 15 }, tickSizeCents: 5, volatilityBps: 1_000 },
      'PENNY',
      5_000,
    );
    const misfits = quotes.filter(
      (quote) =>
        quote.bidCents < 5 ||
        quote.bidCents % 5 !== 0 ||
        quote.askCents % 5 !== 0 ||
        quote.askCents <= quote.bidCents ||
        quote.bidSize < 100 ||
        quote.askSize > 500,
    );
    expect(misfits).toEqual([]);
    expect(new Set(quotes.map((quote) => quote.bidCents)).size).toBeGreaterThan(3);
  });

  it('moves the price over time and stamps each tick one interval later', () => {
    const quotes = path(config, 'AAPL', 1_000);
    expect(new Set(quotes.map((quote) => quote.bidCents)).size).toBeGreaterThan(50);
    expect(quotes[1].quotedAt).toBe('2026-01-05T14:30:00.500Z');
    expect(quotes[999].quotedAt).toBe('2026-01-05T14:38:19.500Z');
  });

  it('refuses an unknown symbol and a bad configuration', () => {
    expect(() => createQuoteFeed(config).quoteAt('NOPE', 0)).toThrow(/no symbol NOPE/);
    expect(() => createQuoteFeed({ ...config, tickSizeCents: 0, minSize: 10, maxSize: 5 })).toThrow(
      /tickSizeCents must be a positive integer; sizes must be whole numbers/,
    );
  });

  it('draws pseudo-random numbers in [0, 1), the same for the same seed', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const draws = Array.from({ length: 1_000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});
