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
        takeProfit: { percent: '5' },
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

  it('reads take-profit and stop-loss as a percent or an amount, and names what is wrong with them', () => {
    expect(
      parse({ ticker: 'AAPL', action: 'buy', takeProfit: { amount: '2.50' }, stopLoss: { percent: 1.5 } }),
    ).toEqual({
      signal: { ticker: 'AAPL', action: 'buy', takeProfit: { amount: '2.50' }, stopLoss: { percent: '1.5' } },
    });
    expect(fieldsOf({ ticker: 'AAPL', action: 'buy', takeProfit: 5, stopLoss: { percent: 100 } })).toEqual([
      'takeProfit',
      'stopLoss.percent',
    ]);
    expect(fieldsOf({ ticker: 'AAPL', action: 'buy', stopLoss: { percent: 1, amount: 2 } })).toEqual([
      'stopLoss',
    ]);
  });

  it('names fields holding objects that cannot be read as text, instead of failing on them', () => {
    const unreadable = { toString: 1 };
    expect(
      fieldsOf({
        ticker: 'AAPL',
        action: 'buy',
        quantity: unreadable,
        price: unreadable,
        signalId: unreadable,
        takeProfit: { percent: unreadable },
      }),
    ).toEqual(['quantity', 'price', 'signalId', 'takeProfit.percent']);
  });

  it('takes cancel as an action, and names the actions it knows for anything else', () => {
    expect(parse({ ticker: 'AAPL', action: 'CANCEL' })).toEqual({
      signal: { ticker: 'AAPL', action: 'cancel' },
    });
    expect(parse({ ticker: 'AAPL', action: 'hold' })).toEqual({
      problems: [{ field: 'action', reason: 'is required: one of buy, sell, exit, add, cancel' }],
    });
  });
});
