import fc from 'fast-check';

const nasty = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0.5,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 63,
    '',
    ' ',
    'NaN',
    'Infinity',
    null,
    true,
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    'x'.repeat(70_000),
    '💥'.repeat(5_000),
    '\u0000\uffff\ud800',
    '../../etc/passwd',
    "' OR 1=1 --",
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    'AAPL',
    'virtual',
    'alpaca',
    'paper',
    'live',
    'BUY',
    'SELL',
    'MARKET',
    'LIMIT',
    'GTC',
    '10.00',
  ),
);

const fields = fc.constantFrom(
  'email',
  'password',
  'displayName',
  'refreshToken',
  'currentPassword',
  'newPassword',
  'broker',
  'mode',
  'credentials',
  'paperAccounts',
  'count',
  'startingCash',
  'currency',
  'symbol',
  'side',
  'type',
  'quantity',
  'limitPrice',
  'timeInForce',
  'ticks',
  'reason',
  'ids',
  'topic',
  'all',
  'extra',
  '__proto__',
  'constructor',
);

/** A request body: a JSON value (objects of known and unknown fields with nasty values) or raw bytes. */
export const fuzzBody = (): fc.Arbitrary<{ value?: unknown; raw?: string }> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .dictionary(
          fields,
          fc.oneof(nasty, fc.dictionary(fields, nasty, { maxKeys: 4 }), fc.array(nasty, { maxLength: 3 })),
          { maxKeys: 8 },
        )
        .map((value) => ({ value })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ value })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(50, 500, 5_000)
        .map((depth) => ({ raw: `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}` })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{', 'null', '"str"', '[]', '{"a":', 'NaN', '\u0000', '{"email":NaN}')
        .map((raw) => ({ raw })),
    },
  );

export const fuzzPathSegment = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.uuid(),
      fc.constantFrom('0', '-1', 'NaN', 'null', '%00', '%ZZ', 'x'.repeat(3000), '..', '💥', "'"),
      fc.string({ maxLength: 30 }),
    )
    .map((segment) => (/^%/.test(segment) ? segment : encodeURIComponent(segment) || 'x'));

export const fuzzQuery = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(''),
    fc
      .dictionary(
        fc.constantFrom(
          'limit',
          'status',
          'from',
          'to',
          'type',
          'aggregateId',
          'includeDeleted',
          'connectionId',
          'olderThanMs',
          'stuck',
          'correlationId',
          'messageId',
        ),
        fc.oneof(nasty.map(String), fc.constant('-5'), fc.constant('1e400')),
        { maxKeys: 3 },
      )
      .map((query) => `?${new URLSearchParams(query as Record<string, string>).toString()}`),
    fc.constantFrom('?limit=1&limit=2', '?status[]=x', '?a[b][c][d]=1'),
  );
