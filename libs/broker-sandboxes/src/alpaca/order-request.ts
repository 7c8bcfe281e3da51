import { randomUUID } from 'node:crypto';
import { type OrderRequest, SandboxRefusal } from './sandbox-market';

const refuse = (message: string): never => {
  throw new SandboxRefusal(422, { code: 42210000, message });
};

const cents = (value: unknown, field: string): number | null => {
  if (value === undefined || value === null) return null;
  const price = Number(value);
  return price > 0 ? Math.round(price * 100) : refuse(`${field} must be a positive number`);
};

const oneOf = <T extends string>(value: unknown, field: string, allowed: readonly T[]): T =>
  allowed.includes(value as T) ? (value as T) : refuse(`${field} must be one of ${allowed.join(', ')}`);

/** POST /v2/orders's body (https://docs.alpaca.markets/reference/postorder), checked as Alpaca answers: 422 with a message. */
export function readOrderRequest(body: Record<string, unknown>): OrderRequest {
  const qty = Number(body.qty);
  if (!Number.isInteger(qty) || qty <= 0) refuse('qty must be > 0');
  const type = oneOf(body.type, 'type', ['market', 'limit', 'stop', 'stop_limit'] as const);
  const limitCents = cents(body.limit_price, 'limit_price');
  const stopCents = cents(body.stop_price, 'stop_price');
  if ((type === 'limit' || type === 'stop_limit') && limitCents === null) refuse('limit_price is required');
  if ((type === 'stop' || type === 'stop_limit') && stopCents === null) refuse('stop_price is required');
  return {
    symbol: typeof body.symbol === 'string' ? body.symbol : refuse('symbol is required'),
    qty,
    side: oneOf(body.side, 'side', ['buy', 'sell'] as const),
    type,
    time_in_force: oneOf(body.time_in_force, 'time_in_force', ['day', 'gtc'] as const),
    limitCents,
    stopCents,
    client_order_id: typeof body.client_order_id === 'string' ? body.client_order_id : randomUUID(),
  };
}

/** An `order_class: oco` body: a take-profit limit and a stop-loss stop that exit one position. */
export interface OcoRequest {
  readonly takeProfit: OrderRequest;
  readonly stopLoss: OrderRequest;
}

const objectOf = (value: unknown, field: string) =>
  typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : refuse(`${field} is required for order_class oco`);

/**
 * POST /v2/orders with `order_class: oco` (https://docs.alpaca.markets/docs/orders-at-alpaca):
 * type limit, `take_profit.limit_price` and `stop_loss.stop_price` (a `stop_loss.limit_price`
 * makes the stop a stop-limit). The order's own client order id is the take-profit's; the
 * stop-loss leg gets one of the broker's choosing.
 */
export function readOcoRequest(body: Record<string, unknown>): OcoRequest {
  if (body.type !== 'limit') refuse('oco orders must be limit orders');
  const takeProfit = objectOf(body.take_profit, 'take_profit');
  const stopLoss = objectOf(body.stop_loss, 'stop_loss');
  const limit =
    cents(takeProfit.limit_price, 'take_profit.limit_price') ?? refuse('take_profit.limit_price is required');
  const stop =
    cents(stopLoss.stop_price, 'stop_loss.stop_price') ?? refuse('stop_loss.stop_price is required');
  const stopLimit = cents(stopLoss.limit_price, 'stop_loss.limit_price');
  const parent = readOrderRequest({ ...body, limit_price: (limit / 100).toFixed(2) });
  return {
    takeProfit: { ...parent, type: 'limit', limitCents: limit, stopCents: null },
    stopLoss: {
      ...parent,
      type: stopLimit === null ? 'stop' : 'stop_limit',
      limitCents: stopLimit,
      stopCents: stop,
      client_order_id: randomUUID(),
    },
  };
}

/** PATCH /v2/orders/{id}'s body (https://docs.alpaca.markets/reference/patchorderbyorderid-1). */
export function readReplacement(body: Record<string, unknown>) {
  const qty = body.qty === undefined ? undefined : Number(body.qty);
  if (qty !== undefined && (!Number.isInteger(qty) || qty <= 0)) refuse('qty must be > 0');
  return {
    qty,
    limitCents: cents(body.limit_price, 'limit_price') ?? undefined,
    stopCents: cents(body.stop_price, 'stop_price') ?? undefined,
    time_in_force:
      body.time_in_force === undefined
        ? undefined
        : oneOf(body.time_in_force, 'time_in_force', ['day', 'gtc'] as const),
    client_order_id: typeof body.client_order_id === 'string' ? body.client_order_id : randomUUID(),
  };
}
