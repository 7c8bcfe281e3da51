import type {
  AlpacaErrorJson,
  AlpacaOrderStatus,
  AlpacaOrderType,
  AlpacaSide,
  AlpacaTimeInForce,
} from './alpaca-wire';

/** Start prices of the suite's simulated feed (virtual-broker's quote feed), in cents. */
export const SANDBOX_START_PRICES: Readonly<Record<string, number>> = {
  AAPL: 19_000,
  MSFT: 42_000,
  TSLA: 25_000,
  SPY: 59_000,
};
const HALF_SPREAD = 1;
/** Shares a quote offers on each side: a larger market order fills in parts, one per tick. */
export const QUOTE_SIZE = 100;

export interface SandboxQuote {
  readonly bidCents: number;
  readonly askCents: number;
}

export interface OrderRequest {
  readonly symbol: string;
  readonly qty: number;
  readonly side: AlpacaSide;
  readonly type: AlpacaOrderType;
  readonly time_in_force: AlpacaTimeInForce;
  readonly limitCents: number | null;
  readonly stopCents: number | null;
  readonly client_order_id: string;
}

export class SandboxRefusal extends Error {
  constructor(
    readonly status: 403 | 404 | 422,
    readonly body: AlpacaErrorJson,
  ) {
    super(body.message);
  }
}

export const isOpen = (status: AlpacaOrderStatus) =>
  status === 'new' || status === 'accepted' || status === 'partially_filled';

export const quoteAround = (cents: number): SandboxQuote => ({
  bidCents: cents - HALF_SPREAD,
  askCents: cents + HALF_SPREAD,
});
