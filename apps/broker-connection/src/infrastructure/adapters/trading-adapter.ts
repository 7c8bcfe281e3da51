import type { BrokerOrderSide, BrokerOrderTerms, BrokerOrderTimeInForce } from '@tradecore/contracts';
import type { BrokerOrderSnapshot } from '../../domain/broker-order.decider';

export interface OrderChanges {
  readonly quantity?: number;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly timeInForce?: BrokerOrderTimeInForce;
  readonly clientOrderId: string;
}

/** A take-profit limit and a stop-loss stop that exit one position, one-cancels-other at the broker. */
export interface OcoOrders {
  readonly symbol: string;
  readonly side: BrokerOrderSide;
  readonly quantity: number;
  readonly timeInForce: BrokerOrderTimeInForce;
  readonly takeProfit: { readonly clientOrderId: string; readonly limitPrice: string };
  readonly stopLoss: { readonly clientOrderId: string; readonly stopPrice: string };
}

/** Each leg as the broker holds it, named by our client order id whatever id the broker gave the leg. */
export interface OcoSnapshots {
  readonly takeProfit: BrokerOrderSnapshot;
  readonly stopLoss: BrokerOrderSnapshot;
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
  /** Both legs as one group: when one executes the broker cancels the other. Retried like placeOrder. */
  placeOcoOrders(session: S, orders: OcoOrders): Promise<OcoSnapshots>;
  cancelOrder(session: S, brokerOrderId: string): Promise<void>;
  replaceOrder(session: S, brokerOrderId: string, changes: OrderChanges): Promise<BrokerOrderSnapshot>;
  getOrder(session: S, brokerOrderId: string): Promise<BrokerOrderSnapshot>;
  /** Every order submitted after `since`, oldest first, all pages: what a reconciliation replays. */
  ordersSubmittedAfter(session: S, since: string): Promise<BrokerOrderSnapshot[]>;
  positions(session: S): Promise<BrokerPosition[]>;
  balances(session: S): Promise<AccountBalances>;
}
