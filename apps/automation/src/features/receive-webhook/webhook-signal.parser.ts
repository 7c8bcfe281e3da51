import { type FieldProblem, MAX_JSON_DEPTH, valueProblem } from '@tradecore/eventing/nest';
import type { WebhookSignal } from '@tradecore/contracts';

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
const ACTIONS = ['buy', 'sell', 'exit', 'add'] as const;
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
  if (actionText === 'cancel') note('action', 'cancel is not supported yet; use buy, sell, exit or add');
  else if (!action) note('action', 'is required: one of buy, sell, exit, add');

  let sentiment: WebhookSignal['sentiment'];
  if (fields.sentiment !== undefined) {
    sentiment = typeof fields.sentiment === 'string' ? SENTIMENTS[fields.sentiment.toLowerCase()] : undefined;
    if (!sentiment) note('sentiment', 'must be long (bullish), short (bearish) or flat');
  }

  let quantity: number | undefined;
  if (fields.quantity !== undefined && fields.quantity !== '') {
    quantity = Number(fields.quantity);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10_000_000)
      note('quantity', 'must be a whole number of shares from 1 to 10000000');
  }

  const priceField = fields.price !== undefined ? 'price' : 'signalPrice';
  const rawPrice = fields.price ?? fields.signalPrice;
  let price: string | undefined;
  if (rawPrice !== undefined && rawPrice !== '') {
    price = String(rawPrice);
    if (!DECIMAL.test(price) || Number(price) <= 0)
      note(priceField, 'must be a positive decimal number such as 189.42');
  }

  const signalId = fields.signalId === undefined ? undefined : String(fields.signalId);
  if (signalId !== undefined && (signalId.length === 0 || signalId.length > 200))
    note('signalId', 'must be 1 to 200 characters');
  if (fields.time !== undefined && typeof fields.time !== 'string')
    note('time', 'must be a string such as 2026-01-05T14:30:00Z');
  for (const field of ['takeProfit', 'stopLoss'])
    if (fields[field] !== undefined && (typeof fields[field] !== 'object' || fields[field] === null))
      note(field, 'must be an object such as {"percent": 5} or {"amount": 10}');

  if (problems.length > 0) return { problems };
  const extra = Object.fromEntries(Object.entries(fields).filter(([key]) => !KNOWN.has(key)));
  return {
    signal: {
      ticker: ticker!,
      action: action!,
      ...(sentiment && { sentiment }),
      ...(quantity !== undefined && { quantity }),
      ...(price !== undefined && { price }),
      ...(fields.takeProfit !== undefined && { takeProfit: fields.takeProfit }),
      ...(fields.stopLoss !== undefined && { stopLoss: fields.stopLoss }),
      ...(signalId !== undefined && { signalId }),
      ...(typeof fields.time === 'string' && { time: fields.time }),
      ...(Object.keys(extra).length > 0 && { extra }),
    },
  };
}

function tickerOf(text: string): string | undefined {
  const symbol = text.trim().toUpperCase().split(':').at(-1)!;
  return TICKER.test(symbol) ? symbol : undefined;
}

const problem = (field: string, reason: string): ParsedSignal => ({ problems: [{ field, reason }] });
