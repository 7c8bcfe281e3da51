/**
 * Alpaca Trading API v2 shapes, as documented: the order object
 * (https://docs.alpaca.markets/reference/getallorders), the account
 * (https://docs.alpaca.markets/reference/getaccount-1), a position
 * (https://docs.alpaca.markets/reference/getallopenpositions) and a `trade_updates` message
 * (https://docs.alpaca.markets/docs/websocket-streaming). Only fields the sandbox fills are typed
 * as more than `null`.
 */
export type AlpacaOrderStatus =
  'new' | 'accepted' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'replaced' | 'rejected';

export type AlpacaOrderType = 'market' | 'limit' | 'stop' | 'stop_limit';
export type AlpacaSide = 'buy' | 'sell';
export type AlpacaTimeInForce = 'day' | 'gtc';

export interface AlpacaOrderJson {
  readonly id: string;
  readonly client_order_id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly submitted_at: string;
  readonly filled_at: string | null;
  readonly canceled_at: string | null;
  readonly replaced_at: string | null;
  readonly replaced_by: string | null;
  readonly replaces: string | null;
  readonly asset_class: 'us_equity';
  readonly symbol: string;
  readonly qty: string;
  readonly filled_qty: string;
  readonly filled_avg_price: string | null;
  /** '' for a simple order; `oco` for a one-cancels-other pair, whose top order is the take-profit. */
  readonly order_class: '' | 'oco';
  readonly order_type: AlpacaOrderType;
  readonly type: AlpacaOrderType;
  readonly side: AlpacaSide;
  readonly time_in_force: AlpacaTimeInForce;
  readonly limit_price: string | null;
  readonly stop_price: string | null;
  readonly status: AlpacaOrderStatus;
  readonly extended_hours: false;
  /** An `oco` order's stop-loss (its other leg); null otherwise and in stream updates. */
  readonly legs?: readonly AlpacaOrderJson[] | null;
}

export type TradeUpdateEvent =
  'new' | 'fill' | 'partial_fill' | 'canceled' | 'rejected' | 'replaced' | 'expired';

export interface TradeUpdateJson {
  readonly event: TradeUpdateEvent;
  readonly timestamp: string;
  readonly order: AlpacaOrderJson;
  /** On fill and partial_fill: this execution's id, size and price, and the position after it. */
  readonly execution_id?: string;
  readonly qty?: string;
  readonly price?: string;
  readonly position_qty?: string;
}

export interface AlpacaAccountJson {
  readonly id: string;
  readonly account_number: string;
  readonly status: 'ACTIVE';
  readonly currency: 'USD';
  readonly cash: string;
  readonly buying_power: string;
  readonly equity: string;
  readonly portfolio_value: string;
  readonly long_market_value: string;
  readonly multiplier: '1';
  readonly pattern_day_trader: false;
  readonly trading_blocked: false;
}

export interface AlpacaPositionJson {
  readonly symbol: string;
  readonly asset_class: 'us_equity';
  readonly side: 'long';
  readonly qty: string;
  readonly qty_available: string;
  readonly avg_entry_price: string;
  readonly cost_basis: string;
  readonly current_price: string;
  readonly market_value: string;
  readonly unrealized_pl: string;
}

/** Alpaca's error body: a numeric code and a message (https://docs.alpaca.markets/docs/orders-at-alpaca). */
export interface AlpacaErrorJson {
  readonly code: number;
  readonly message: string;
}
