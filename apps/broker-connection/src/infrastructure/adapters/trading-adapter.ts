import type { BrokerOrderTerms, BrokerOrderTimeInForce } from '@tradecore/contracts';
import type { BrokerOrderSnapshot } from '../../domain/broker-order.decider';

export interface OrderChanges {
  readonly quantity?: number;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly timeInForce?: BrokerOrderTimeInForce;
  readonly clientOrderId: string;
}

export interface AccountBalances {
  readonly externalAccountId: string;
  readonly currency: string;
  readonly cash: string;
  readonly buyingPower: string;
  readonly equity: string;
}

export interface BrokerPosition {
  readonly symbol: string;
  readonly quantity: number;
  readonly averagePrice: string;
  readonly costBasis: string;
  readonly markPrice: string;
  readonly marketValue: string;
  readonly unrealizedPnl: string;
}

/**
 * What every real broker's trading adapter does for one account (its session). Refusals are the
 * paper broker's DomainError codes; a broker that fails is a BrokerAdapterError; a rate limit 429.
 */
export interface TradingAdapter<S> {
  /** A retried placement (same client order id) finds the order the first try made instead of failing. */
  placeOrder(session: S, clientOrderId: string, terms: BrokerOrderTerms): Promise<BrokerOrderSnapshot>;
  cancelOrder(session: S, brokerOrderId: string): Promise<void>;
  replaceOrder(session: S, brokerOrderId: string, changes: OrderChanges): Promise<BrokerOrderSnapshot>;
  getOrder(session: S, brokerOrderId: string): Promise<BrokerOrderSnapshot>;
  /** Every order submitted after `since`, oldest first, all pages: what a reconciliation replays. */
  ordersSubmittedAfter(session: S, since: string): Promise<BrokerOrderSnapshot[]>;
  positions(session: S): Promise<BrokerPosition[]>;
  balances(session: S): Promise<AccountBalances>;
}
