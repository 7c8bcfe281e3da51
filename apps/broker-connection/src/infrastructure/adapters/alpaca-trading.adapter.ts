import type { BrokerOrderTerms } from '@tradecore/contracts';
import type {
  AlpacaAccountJson,
  AlpacaOrderJson,
  AlpacaPositionJson,
} from '@tradecore/broker-sandboxes/alpaca/alpaca-wire';
import { DomainError } from '@tradecore/eventing';
import type { BrokerOrderSnapshot, OrderStatus } from '../../domain/broker-order.decider';
import type { AlpacaBaseUrls } from './alpaca.adapter';
import { type AlpacaSession, callAlpaca } from './alpaca-http';
import { type BrokerResilience } from './broker-resilience';
import type {
  AccountBalances,
  BrokerPosition,
  OcoOrders,
  OcoSnapshots,
  OrderChanges,
  TradingAdapter,
} from './trading-adapter';

const STATUS: Record<AlpacaOrderJson['status'], BrokerOrderSnapshot['status']> = {
  new: 'NEW',
  accepted: 'NEW',
  partially_filled: 'PARTIALLY_FILLED',
  filled: 'FILLED',
  canceled: 'CANCELLED',
  expired: 'EXPIRED',
  replaced: 'REPLACED',
  rejected: 'REJECTED',
};
const TYPE = { MARKET: 'market', LIMIT: 'limit', STOP: 'stop', STOP_LIMIT: 'stop_limit' } as const;
const PAGE = 500;

/** Alpaca's statuses not in the table above (pending_new, done_for_day, …) are still open orders. */
const statusOf = (status: string): BrokerOrderSnapshot['status'] =>
  STATUS[status as AlpacaOrderJson['status']] ?? ('NEW' satisfies OrderStatus);

export function snapshotOf(order: AlpacaOrderJson): BrokerOrderSnapshot {
  return {
    brokerOrderId: order.id,
    clientOrderId: order.client_order_id,
    replacesBrokerOrderId: order.replaces,
    status: statusOf(order.status),
    quantity: Number(order.qty),
    filledQuantity: Number(order.filled_qty),
    averageFillPrice: order.filled_avg_price,
    limitPrice: order.limit_price,
    stopPrice: order.stop_price,
    timeInForce: order.time_in_force === 'gtc' ? 'GTC' : 'DAY',
    submittedAt: order.submitted_at,
    updatedAt: order.updated_at,
  };
}

const byClientOrderIdPath = (clientOrderId: string) =>
  `/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(clientOrderId)}`;

/** Alpaca Trading API v2 orders, positions and account (https://docs.alpaca.markets/reference/postorder). */
export class AlpacaTradingAdapter implements TradingAdapter<AlpacaSession> {
  constructor(
    private readonly baseUrls: AlpacaBaseUrls,
    private readonly resilience: BrokerResilience,
  ) {}

  /** Where the account's `trade_updates` stream is: the API host's `/stream`. */
  streamUrl(session: AlpacaSession): string {
    return `${this.baseUrls[session.mode].replace(/^http/, 'ws')}/stream`;
  }

  async placeOrder(
    session: AlpacaSession,
    clientOrderId: string,
    terms: BrokerOrderTerms,
  ): Promise<BrokerOrderSnapshot> {
    const body = {
      symbol: terms.symbol,
      qty: String(terms.quantity),
      side: terms.side.toLowerCase(),
      type: TYPE[terms.kind],
      time_in_force: terms.timeInForce.toLowerCase(),
      ...(terms.limitPrice !== null && { limit_price: terms.limitPrice }),
      ...(terms.stopPrice !== null && { stop_price: terms.stopPrice }),
      client_order_id: clientOrderId,
    };
    try {
      return snapshotOf(await this.call<AlpacaOrderJson>(session, '/v2/orders', { method: 'POST', body }));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'DUPLICATE_ORDER_ID') throw error;
      const earlier = await this.orderByClientId(session, clientOrderId);
      if (earlier) return earlier;
      throw error;
    }
  }

  /**
   * `order_class: oco`: the order is the take-profit limit and carries our client order id; its
   * stop-loss comes back as its leg, with a client order id Alpaca chose, so it is named ours here
   * and followed by Alpaca's order id from then on.
   */
  async placeOcoOrders(session: AlpacaSession, oco: OcoOrders): Promise<OcoSnapshots> {
    const clientOrderId = oco.takeProfit.clientOrderId;
    const body = {
      symbol: oco.symbol,
      qty: String(oco.quantity),
      side: oco.side.toLowerCase(),
      type: 'limit',
      time_in_force: oco.timeInForce.toLowerCase(),
      order_class: 'oco',
      take_profit: { limit_price: oco.takeProfit.limitPrice },
      stop_loss: { stop_price: oco.stopLoss.stopPrice },
      client_order_id: clientOrderId,
    };
    let order: AlpacaOrderJson;
    try {
      order = await this.call<AlpacaOrderJson>(session, '/v2/orders', { method: 'POST', body });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'DUPLICATE_ORDER_ID') throw error;
      order = await this.call<AlpacaOrderJson>(session, byClientOrderIdPath(clientOrderId));
    }
    const [leg] = order.legs ?? [];
    if (!leg)
      throw new DomainError(
        'ORDER_REFUSED_BY_BROKER',
        `Alpaca answered the oco order ${order.id} without its stop-loss leg`,
      );
    return {
      takeProfit: snapshotOf(order),
      stopLoss: { ...snapshotOf(leg), clientOrderId: oco.stopLoss.clientOrderId },
    };
  }

  async cancelOrder(session: AlpacaSession, brokerOrderId: string): Promise<void> {
    await this.call(session, `/v2/orders/${encodeURIComponent(brokerOrderId)}`, { method: 'DELETE' });
  }

  async replaceOrder(
    session: AlpacaSession,
    brokerOrderId: string,
    changes: OrderChanges,
  ): Promise<BrokerOrderSnapshot> {
    const body = {
      ...(changes.quantity !== undefined && { qty: String(changes.quantity) }),
      ...(changes.limitPrice !== undefined && { limit_price: changes.limitPrice }),
      ...(changes.stopPrice !== undefined && { stop_price: changes.stopPrice }),
      ...(changes.timeInForce !== undefined && { time_in_force: changes.timeInForce.toLowerCase() }),
      client_order_id: changes.clientOrderId,
    };
    const path = `/v2/orders/${encodeURIComponent(brokerOrderId)}`;
    return snapshotOf(await this.call<AlpacaOrderJson>(session, path, { method: 'PATCH', body }));
  }

  async getOrder(session: AlpacaSession, brokerOrderId: string): Promise<BrokerOrderSnapshot> {
    return snapshotOf(
      await this.call<AlpacaOrderJson>(session, `/v2/orders/${encodeURIComponent(brokerOrderId)}`),
    );
  }

  async orderByClientId(
    session: AlpacaSession,
    clientOrderId: string,
  ): Promise<BrokerOrderSnapshot | undefined> {
    try {
      return snapshotOf(await this.call<AlpacaOrderJson>(session, byClientOrderIdPath(clientOrderId)));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'ORDER_NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** Every order submitted after `since`, oldest first, page by page (`after` moves to each page's last). */
  async ordersSubmittedAfter(session: AlpacaSession, since: string): Promise<BrokerOrderSnapshot[]> {
    const orders: AlpacaOrderJson[] = [];
    for (let after = since; ;) {
      const page = await this.call<AlpacaOrderJson[]>(
        session,
        `/v2/orders?status=all&direction=asc&limit=${PAGE}&after=${encodeURIComponent(after)}`,
      );
      orders.push(...page);
      if (page.length < PAGE) return orders.map(snapshotOf);
      after = page[page.length - 1].submitted_at;
    }
  }

  async positions(session: AlpacaSession): Promise<BrokerPosition[]> {
    const positions = await this.call<AlpacaPositionJson[]>(session, '/v2/positions');
    return positions.map((position) => ({
      symbol: position.symbol,
      quantity: Number(position.qty),
      averagePrice: position.avg_entry_price,
      costBasis: position.cost_basis,
      markPrice: position.current_price,
      marketValue: position.market_value,
      unrealizedPnl: position.unrealized_pl,
    }));
  }

  async balances(session: AlpacaSession): Promise<AccountBalances> {
    const account = await this.call<AlpacaAccountJson>(session, '/v2/account');
    return {
      externalAccountId: account.account_number,
      currency: account.currency,
      cash: account.cash,
      buyingPower: account.buying_power,
      equity: account.equity,
    };
  }

  private call<T>(
    session: AlpacaSession,
    path: string,
    init?: { method?: string; body?: object },
  ): Promise<T> {
    return callAlpaca<T>(this.resilience, this.baseUrls[session.mode], session, path, init);
  }
}
