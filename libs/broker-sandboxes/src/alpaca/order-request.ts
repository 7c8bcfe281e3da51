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
