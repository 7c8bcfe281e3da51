import { TsRefusal } from './tradestation-book';
import type { TsDuration, TsOrderRequestJson, TsOrderType, TsTradeAction } from './tradestation-wire';

const refuse = (message: string): never => {
  throw new TsRefusal(400, 'BadRequest', message);
};

const price = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  return Number(value) > 0 ? String(value) : refuse(`${field} must be a positive number`);
};

const oneOf = <T extends string>(value: unknown, field: string, allowed: readonly T[]): T =>
  allowed.includes(value as T) ? (value as T) : refuse(`${field} must be one of ${allowed.join(', ')}`);

const quantity = (value: unknown): string => {
  const number = Number(value);
  return Number.isInteger(number) && number > 0
    ? String(number)
    : refuse('Quantity must be a whole number above 0');
};

/**
 * PlaceOrder's body (https://api.tradestation.com/docs/specification#tag/Order-Execution/operation/PlaceOrder),
 * checked as TradeStation answers a malformed one: 400 `{ Error: "BadRequest", Message }`.
 * An unknown symbol is an order failure instead, answered 200 with `Errors`.
 */
export function readOrderRequest(
  body: Record<string, unknown>,
  known: (symbol: string) => boolean,
): TsOrderRequestJson {
  const type = oneOf(body.OrderType, 'OrderType', [
    'Market',
    'Limit',
    'StopMarket',
    'StopLimit',
  ] as const satisfies readonly TsOrderType[]);
  const limit = price(body.LimitPrice, 'LimitPrice');
  const stop = price(body.StopPrice, 'StopPrice');
  if ((type === 'Limit' || type === 'StopLimit') && limit === undefined)
    refuse('LimitPrice is required for a Limit or StopLimit order');
  if ((type === 'StopMarket' || type === 'StopLimit') && stop === undefined)
    refuse('StopPrice is required for a StopMarket or StopLimit order');
  const timeInForce = (body.TimeInForce ?? {}) as { Duration?: unknown };
  const symbol = typeof body.Symbol === 'string' ? body.Symbol : refuse('Symbol is required');
  if (!known(symbol)) throw new TsRefusal(200, 'FAILED', `Order failed. Reason: Invalid symbol ${symbol}.`);
  const confirmId = body.OrderConfirmID;
  if (
    confirmId !== undefined &&
    (typeof confirmId !== 'string' || confirmId.length < 1 || confirmId.length > 22)
  )
    refuse('OrderConfirmID must be 1 to 22 characters');
  return {
    AccountID: typeof body.AccountID === 'string' ? body.AccountID : refuse('AccountID is required'),
    Symbol: symbol,
    Quantity: quantity(body.Quantity),
    OrderType: type,
    TradeAction: oneOf(String(body.TradeAction).toUpperCase(), 'TradeAction', [
      'BUY',
      'SELL',
    ] as const satisfies readonly TsTradeAction[]),
    TimeInForce: {
      Duration: oneOf(timeInForce.Duration, 'TimeInForce.Duration', [
        'DAY',
        'GTC',
      ] as const satisfies readonly TsDuration[]),
    },
    ...(type !== 'Market' && type !== 'StopMarket' && { LimitPrice: limit }),
    ...(type !== 'Market' && type !== 'Limit' && { StopPrice: stop }),
    Route: 'Intelligent',
    ...(typeof confirmId === 'string' && { OrderConfirmID: confirmId }),
  };
}

/**
 * PlaceGroupOrder's body (https://api.tradestation.com/docs/specification#tag/Order-Execution/operation/PlaceGroupOrder):
 * `{ Type, Orders }`, each order checked as PlaceOrder's. The sandbox simulates `OCO` groups on one
 * account; `BRK` and `NORMAL` are refused as not simulated.
 */
export function readGroupRequest(
  body: Record<string, unknown>,
  known: (symbol: string) => boolean,
): TsOrderRequestJson[] {
  if (body.Type !== 'OCO') refuse(`Type ${String(body.Type)} is not simulated by the sandbox; use OCO`);
  const orders = Array.isArray(body.Orders) ? (body.Orders as Record<string, unknown>[]) : [];
  if (orders.length < 2) refuse('An OCO group needs at least two Orders');
  const requests = orders.map((order) => readOrderRequest(order, known));
  if (requests.some((request) => request.AccountID !== requests[0].AccountID))
    refuse('The Orders of a group must be for one account');
  return requests;
}

/** ReplaceOrder's body (https://api.tradestation.com/docs/specification#tag/Order-Execution/operation/ReplaceOrder). */
export function readReplacement(body: Record<string, unknown>): {
  Quantity?: string;
  LimitPrice?: string;
  StopPrice?: string;
} {
  return {
    ...(body.Quantity !== undefined && { Quantity: quantity(body.Quantity) }),
    ...(body.LimitPrice !== undefined && { LimitPrice: price(body.LimitPrice, 'LimitPrice') }),
    ...(body.StopPrice !== undefined && { StopPrice: price(body.StopPrice, 'StopPrice') }),
  };
}
