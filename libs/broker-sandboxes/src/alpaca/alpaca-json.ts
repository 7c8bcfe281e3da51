import { randomUUID } from 'node:crypto';
import type { AlpacaAccountJson, AlpacaOrderJson, AlpacaPositionJson } from './alpaca-wire';
import type { OrderRequest } from './sandbox-market';

const money = (cents: number) => (cents / 100).toFixed(2);

// The JSON the Alpaca sandbox answers with, built from its book's state.

/** GET /v2/account's body for a cash account: buying power is the cash not reserved by open buys. */
export const accountJson = (
  accountNumber: string,
  cashCents: number,
  longCents: number,
  reservedCents: number,
): AlpacaAccountJson => ({
  id: `sandbox-${accountNumber}`,
  account_number: accountNumber,
  status: 'ACTIVE',
  currency: 'USD',
  cash: money(cashCents),
  buying_power: money(cashCents - reservedCents),
  equity: money(cashCents + longCents),
  portfolio_value: money(cashCents + longCents),
  long_market_value: money(longCents),
  multiplier: '1',
  pattern_day_trader: false,
  trading_blocked: false,
});

/** One long position of GET /v2/positions, marked at the bid; `qty_available` is what open sells do not hold. */
export const positionJson = (
  symbol: string,
  held: { readonly qty: number; readonly costCents: number },
  markCents: number,
  committed: number,
): AlpacaPositionJson => ({
  symbol,
  asset_class: 'us_equity',
  side: 'long',
  qty: String(held.qty),
  qty_available: String(held.qty - committed),
  avg_entry_price: money(Math.round(held.costCents / held.qty)),
  cost_basis: money(held.costCents),
  current_price: money(markCents),
  market_value: money(markCents * held.qty),
  unrealized_pl: money(markCents * held.qty - held.costCents),
});

/** A just-placed order as POST /v2/orders answers it: `accepted`, nothing filled. */
export function newOrderJson(
  request: OrderRequest,
  replaces: string | null,
  orderClass: AlpacaOrderJson['order_class'],
): AlpacaOrderJson {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    client_order_id: request.client_order_id,
    created_at: at,
    updated_at: at,
    submitted_at: at,
    filled_at: null,
    canceled_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces,
    asset_class: 'us_equity',
    symbol: request.symbol,
    qty: String(request.qty),
    filled_qty: '0',
    filled_avg_price: null,
    order_class: orderClass,
    order_type: request.type,
    type: request.type,
    side: request.side,
    time_in_force: request.time_in_force,
    limit_price: request.limitCents === null ? null : money(request.limitCents),
    stop_price: request.stopCents === null ? null : money(request.stopCents),
    status: 'accepted',
    extended_hours: false,
  };
}
