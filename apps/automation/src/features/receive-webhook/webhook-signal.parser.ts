import { type FieldProblem, MAX_JSON_DEPTH, valueProblem } from '@tradecore/eventing/nest';
import type { ExitTarget, WebhookSignal } from '@tradecore/contracts';

const KNOWN = new Set([
  'ticker',
  'action',
  'sentiment',
  'quantity',
  'price',
  'signalPrice',
  'takeProfit',
  'stopLoss',
  'signalId',
  'time',
]);
const SENTIMENTS: Readonly<Record<string, WebhookSignal['sentiment']>> = {
  long: 'long',
  bullish: 'long',
  short: 'short',
  bearish: 'short',
  flat: 'flat',
};
const ACTIONS = ['buy', 'sell', 'exit', 'add', 'cancel'] as const;
const TICKER = /^[A-Z][A-Z0-9.]{0,9}$/;
const DECIMAL = /^\d{1,9}(\.\d{1,8})?$/;

export type ParsedSignal =
  { readonly signal: WebhookSignal } | { readonly problems: readonly FieldProblem[] };

/**
 * A webhook body as alerting tools send it (JSON, often as text/plain), in TradersPost's field
 * vocabulary. Pure, so every shape a user may paste is tested without a server.
 */
export function parseWebhookSignal(body: string): ParsedSignal {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return problem(
      'body',
      `is not JSON (${(error as Error).message}); send the alert message as a JSON object such as {"ticker":"AAPL","action":"buy"}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return problem('body', 'must be a JSON object such as {"ticker":"AAPL","action":"buy"}');
  const unstorable = valueProblem(value, 'body');
  if (unstorable) {
    const field = (unstorable.details as { field?: string } | null)?.field;
    return field
      ? problem(field, 'contains a NUL character or broken Unicode')
      : problem('body', `nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const fields = value as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const note = (field: string, reason: string) => problems.push({ field, reason });

  const ticker = typeof fields.ticker === 'string' ? tickerOf(fields.ticker) : undefined;
  if (ticker === undefined)
    note(
      'ticker',
      'is required: an upper-case symbol such as AAPL (an exchange prefix like NASDAQ:AAPL is dropped)',
    );

  const actionText = typeof fields.action === 'string' ? fields.action.toLowerCase() : undefined;
  const action = ACTIONS.find((candidate) => candidate === actionText);
  if (!action) note('action', `is required: one of ${ACTIONS.join(', ')}`);

  let sentiment: WebhookSignal['sentiment'];
  if (fields.sentiment !== undefined) {
    sentiment = typeof fields.sentiment === 'string' ? SENTIMENTS[fields.sentiment.toLowerCase()] : undefined;
    if (!sentiment) note('sentiment', 'must be long (bullish), short (bearish) or flat');
  }

  let quantity: number | undefined;
  if (fields.quantity !== undefined && fields.quantity !== '') {
    quantity = Number(scalarText(fields.quantity));
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10_000_000)
      note('quantity', 'must be a whole number of shares from 1 to 10000000');
  }

  const priceField = fields.price !== undefined ? 'price' : 'signalPrice';
  const rawPrice = fields.price ?? fields.signalPrice;
  let price: string | undefined;
  if (rawPrice !== undefined && rawPrice !== '') {
    price = scalarText(rawPrice) ?? '';
    if (!DECIMAL.test(price) || Number(price) <= 0)
      note(priceField, 'must be a positive decimal number such as 189.42');
  }

  const signalId = fields.signalId === undefined ? undefined : (scalarText(fields.signalId) ?? '');
  if (signalId !== undefined && (signalId.length === 0 || signalId.length > 200))
    note('signalId', 'must be a text or a number of 1 to 200 characters');
  if (fields.time !== undefined && typeof fields.time !== 'string')
    note('time', 'must be a string such as 2026-01-05T14:30:00Z');
  const takeProfit = exitTarget(fields.takeProfit, 'takeProfit', note);
  const stopLoss = exitTarget(fields.stopLoss, 'stopLoss', note);

  if (problems.length > 0) return { problems };
  const extra = Object.fromEntries(Object.entries(fields).filter(([key]) => !KNOWN.has(key)));
  return {
    signal: {
      ticker: ticker!,
      action: action!,
      ...(sentiment && { sentiment }),
      ...(quantity !== undefined && { quantity }),
      ...(price !== undefined && { price }),
      ...(takeProfit && { takeProfit }),
      ...(stopLoss && { stopLoss }),
      ...(signalId !== undefined && { signalId }),
      ...(typeof fields.time === 'string' && { time: fields.time }),
      ...(Object.keys(extra).length > 0 && { extra }),
    },
  };
}

/** `{"percent": 5}` (of the entry's fill price, below 100) or `{"amount": 10}` (per share); empty means none. */
function exitTarget(
  value: unknown,
  field: string,
  note: (field: string, reason: string) => void,
): ExitTarget | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const shape = `must be an object with one of percent (below 100) or amount, such as {"percent": 5} or {"amount": 10}`;
  if (typeof value !== 'object' || Array.isArray(value)) return void note(field, shape);
  const { percent, amount, ...rest } = value as Record<string, unknown>;
  const given = [percent, amount].filter((part) => part !== undefined && part !== '');
  if (given.length !== 1 || Object.keys(rest).length > 0) return void note(field, shape);
  const text = scalarText(given[0]) ?? '';
  if (!DECIMAL.test(text) || Number(text) <= 0 || (percent !== undefined && Number(text) >= 100))
    return void note(
      `${field}.${percent !== undefined ? 'percent' : 'amount'}`,
      'must be a positive decimal number' + (percent !== undefined ? ' below 100' : ''),
    );
  return percent !== undefined ? { percent: text } : { amount: text };
}

/**
 * A field's text if it is a string or a finite number. Anything else is not a value to read:
 * String() of a JSON object with a "toString" key throws.
 */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function tickerOf(text: string): string | undefined {
  const symbol = text.trim().toUpperCase().split(':').at(-1)!;
  return TICKER.test(symbol) ? symbol : undefined;
}

const problem = (field: string, reason: string): ParsedSignal => ({ problems: [{ field, reason }] });
