import { parseWebhookSignal } from './webhook-signal.parser';

const parse = (body: unknown) => parseWebhookSignal(typeof body === 'string' ? body : JSON.stringify(body));
const fieldsOf = (body: unknown) => {
  const parsed = parse(body);
  return 'problems' in parsed ? parsed.problems.map((problem) => problem.field) : [];
};

describe('webhook signal parser', () => {
  it("reads TradersPost's vocabulary, keeping unknown fields for debugging", () => {
    expect(
      parse({
        ticker: 'NASDAQ:aapl',
        action: 'BUY',
        sentiment: 'bullish',
        quantity: '5',
        signalPrice: 189.42,
        takeProfit: { percent: 5 },
        signalId: 42,
        time: '2026-01-05T14:30:00Z',
        strategy: 'breakout',
      }),
    ).toEqual({
      signal: {
        ticker: 'AAPL',
        action: 'buy',
        sentiment: 'long',
        quantity: 5,
        price: '189.42',
        takeProfit: { percent: 5 },
        signalId: '42',
        time: '2026-01-05T14:30:00Z',
        extra: { strategy: 'breakout' },
      },
    });
  });

  it('names each field that is wrong', () => {
    expect(fieldsOf({ action: 'hold', quantity: 1.5, price: 'cheap', sentiment: 'maybe' })).toEqual([
      'ticker',
      'action',
      'sentiment',
      'quantity',
      'price',
    ]);
  });

  it('explains a body that is not a JSON object', () => {
    expect(parse('buy AAPL now')).toEqual({
      problems: [{ field: 'body', reason: expect.stringMatching(/^is not JSON/) }],
    });
    expect(fieldsOf([1, 2])).toEqual(['body']);
  });

  it('refuses what PostgreSQL cannot store: NUL characters and absurd nesting', () => {
    expect(parse({ ticker: 'AAPL', action: 'buy', note: 'a\u0000b' })).toEqual({
      problems: [{ field: 'body.note', reason: expect.stringMatching(/NUL/) }],
    });
    expect(fieldsOf(`{"ticker":"AAPL","action":"buy","deep":${'['.repeat(100)}${']'.repeat(100)}}`)).toEqual([
      'body',
    ]);
  });

  it('says that cancel is not supported rather than ignoring it', () => {
    expect(parse({ ticker: 'AAPL', action: 'cancel' })).toEqual({
      problems: [{ field: 'action', reason: expect.stringMatching(/cancel is not supported yet/) }],
    });
  });
});
