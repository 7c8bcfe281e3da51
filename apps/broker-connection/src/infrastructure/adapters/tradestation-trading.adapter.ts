import type { BrokerOrderTerms } from '@tradecore/contracts';
import type {
  TsBalanceJson,
  TsOrderAnswerJson,
  TsOrderJson,
  TsPositionJson,
} from '@tradecore/broker-sandboxes/tradestation/tradestation-wire';
import { DomainError } from '@tradecore/eventing';
import type { BrokerOrderSnapshot } from '../../domain/broker-order.decider';
import { type BrokerResilience } from './broker-resilience';
import {
  callTradeStation,
  type TradeStationCall,
  type TradeStationSession,
  tradeStationRefusal,
} from './tradestation-http';
import type { AccessTokenSource, TradeStationUrls } from './tradestation.adapter';
import type {
  AccountBalances,
  BrokerPosition,
  OcoOrders,
  OcoSnapshots,
  OrderChanges,
  TradingAdapter,
} from './trading-adapter';

const STATUS: Partial<Record<TsOrderJson['Status'], BrokerOrderSnapshot['status']>> = {
  FLP: 'PARTIALLY_FILLED',
  FLL: 'FILLED',
  CAN: 'CANCELLED',
  OUT: 'CANCELLED',
  EXP: 'EXPIRED',
  REJ: 'REJECTED',
};
const TYPE = { MARKET: 'Market', LIMIT: 'Limit', STOP: 'StopMarket', STOP_LIMIT: 'StopLimit' } as const;
const PAGE = 600;

/**
 * OrderConfirmID holds at most 22 characters: our order id (a UUID, 16 bytes) is exactly 22 in
 * base64url, so a retried placement carries the same one and TradeStation refuses the duplicate.
 */
export const orderConfirmIdOf = (orderId: string) =>
  Buffer.from(orderId.replace(/-/g, ''), 'hex').toString('base64url');

/**
 * TradeStation's order as a snapshot. It carries no client order id: the caller that knows it
 * (placement) passes it, the stream and reconciliation find the order by its broker id instead.
 * Working statuses (ACK, DON, OPN, UCN, …) are all NEW; a replacement keeps the order id.
 */
export function tsSnapshotOf(order: TsOrderJson, clientOrderId = ''): BrokerOrderSnapshot {
  const [leg] = order.Legs;
  const filled = Number(leg?.ExecQuantity ?? 0);
  return {
    brokerOrderId: order.OrderID,
    clientOrderId,
    replacesBrokerOrderId: null,
    status: STATUS[order.Status] ?? 'NEW',
    quantity: Number(leg?.QuantityOrdered ?? 0),
    filledQuantity: filled,
    averageFillPrice: filled > 0 ? Number(order.FilledPrice).toFixed(2) : null,
    limitPrice: order.LimitPrice ?? null,
    stopPrice: order.StopPrice ?? null,
    timeInForce: order.Duration === 'GTC' ? 'GTC' : 'DAY',
    submittedAt: order.OpenedDateTime,
    updatedAt: order.LastUpdatedDateTime ?? order.ClosedDateTime ?? order.OpenedDateTime,
  };
}

/** TradeStation v3 order execution and brokerage reads (https://api.tradestation.com/docs/specification). */
export class TradeStationTradingAdapter implements TradingAdapter<TradeStationSession> {
  constructor(
    private readonly urls: TradeStationUrls,
    private readonly resilience: BrokerResilience,
    private readonly tokens: AccessTokenSource,
  ) {}

  streamUrl(session: TradeStationSession): string {
    return `${this.urls[session.mode]}/v3/brokerage/stream/accounts/${encodeURIComponent(session.externalAccountId)}/orders`;
  }

  /** The access token a stream request carries; `rejected` is one the stream was just refused with. */
  accessToken(session: TradeStationSession, rejected?: string): Promise<string> {
    return this.tokens.accessTokenFor(session.connectionId, session.credentials, rejected);
  }

  async placeOrder(session: TradeStationSession, clientOrderId: string, terms: BrokerOrderTerms) {
    const body = {
      AccountID: session.externalAccountId,
      Symbol: terms.symbol,
      Quantity: String(terms.quantity),
      OrderType: TYPE[terms.kind],
      TradeAction: terms.side,
      TimeInForce: { Duration: terms.timeInForce },
      ...(terms.limitPrice !== null && { LimitPrice: terms.limitPrice }),
      ...(terms.stopPrice !== null && { StopPrice: terms.stopPrice }),
      Route: 'Intelligent',
      OrderConfirmID: orderConfirmIdOf(clientOrderId),
    };
    const answer = await this.call<TsOrderAnswerJson>(session, '/v3/orderexecution/orders', {
      method: 'POST',
      body,
    });
    const [placed] = answer.Orders ?? [];
    const [refused] = answer.Errors ?? [];
    // The same OrderConfirmID again: the first try got through, its order is the answer.
    const orderId =
      placed?.OrderID ?? (refused && /duplicate/i.test(refused.Message) ? refused.OrderID : undefined);
    if (!orderId) throw tradeStationRefusal(200, refused);
    return tsSnapshotOf(await this.order(session, orderId), clientOrderId);
  }

  /**
   * An `OCO` order group, take-profit first: TradeStation cancels the others once one executes,
   * even in part. Each order carries its own OrderConfirmID, so a retried group is refused as a
   * duplicate and the group placed the first time (the take-profit and its OCO sibling) is the answer.
   */
  async placeOcoOrders(session: TradeStationSession, oco: OcoOrders): Promise<OcoSnapshots> {
    const order = (clientOrderId: string, price: { LimitPrice: string } | { StopPrice: string }) => ({
      AccountID: session.externalAccountId,
      Symbol: oco.symbol,
      Quantity: String(oco.quantity),
      OrderType: 'LimitPrice' in price ? TYPE.LIMIT : TYPE.STOP,
      TradeAction: oco.side,
      TimeInForce: { Duration: oco.timeInForce },
      ...price,
      Route: 'Intelligent',
      OrderConfirmID: orderConfirmIdOf(clientOrderId),
    });
    const body = {
      Type: 'OCO',
      Orders: [
        order(oco.takeProfit.clientOrderId, { LimitPrice: oco.takeProfit.limitPrice }),
        order(oco.stopLoss.clientOrderId, { StopPrice: oco.stopLoss.stopPrice }),
      ],
    };
    const answer = await this.call<TsOrderAnswerJson>(session, '/v3/orderexecution/ordergroups', {
      method: 'POST',
      body,
    });
    let ids = (answer.Orders ?? []).map((placed) => placed.OrderID);
    const [refused] = answer.Errors ?? [];
    if (ids.length < 2 && refused?.OrderID && /duplicate/i.test(refused.Message)) {
      const earlier = await this.order(session, refused.OrderID);
      const sibling = earlier.ConditionalOrders?.find((other) => other.Relationship === 'OCO');
      ids = sibling ? [earlier.OrderID, sibling.OrderID] : [];
    }
    if (ids.length < 2) throw tradeStationRefusal(200, refused);
    const [takeProfit, stopLoss] = await Promise.all(ids.map((id) => this.order(session, id)));
    return {
      takeProfit: tsSnapshotOf(takeProfit, oco.takeProfit.clientOrderId),
      stopLoss: tsSnapshotOf(stopLoss, oco.stopLoss.clientOrderId),
    };
  }

  async cancelOrder(session: TradeStationSession, brokerOrderId: string): Promise<void> {
    await this.call(session, `/v3/orderexecution/orders/${encodeURIComponent(brokerOrderId)}`, {
      method: 'DELETE',
    });
  }

  /** ReplaceOrder changes quantity and prices in place; the time in force cannot change. */
  async replaceOrder(session: TradeStationSession, brokerOrderId: string, changes: OrderChanges) {
    const current = await this.order(session, brokerOrderId);
    if (
      changes.timeInForce !== undefined &&
      changes.timeInForce !== (current.Duration === 'GTC' ? 'GTC' : 'DAY')
    )
      throw new DomainError(
        'ORDER_REFUSED_BY_BROKER',
        'TradeStation cannot change the time in force of an order; cancel it and place a new one',
      );
    const body = {
      ...(changes.quantity !== undefined && { Quantity: String(changes.quantity) }),
      ...(changes.limitPrice !== undefined && { LimitPrice: changes.limitPrice }),
      ...(changes.stopPrice !== undefined && { StopPrice: changes.stopPrice }),
    };
    await this.call(session, `/v3/orderexecution/orders/${encodeURIComponent(brokerOrderId)}`, {
      method: 'PUT',
      body,
    });
    return tsSnapshotOf(await this.order(session, brokerOrderId));
  }

  async getOrder(session: TradeStationSession, brokerOrderId: string) {
    return tsSnapshotOf(await this.order(session, brokerOrderId));
  }

  /** TradeStation lists today's and open orders, `pageSize` at a time with a `nextToken`. */
  async ordersSubmittedAfter(session: TradeStationSession, since: string): Promise<BrokerOrderSnapshot[]> {
    const orders: TsOrderJson[] = [];
    for (let token: string | undefined = ''; token !== undefined;) {
      const page: { Orders: TsOrderJson[]; NextToken?: string } = await this.call(
        session,
        `${this.accountPath(session)}/orders?pageSize=${PAGE}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`,
      );
      orders.push(...page.Orders);
      token = page.NextToken;
    }
    return orders
      .filter((order) => order.OpenedDateTime >= since)
      .sort((a, b) => a.OpenedDateTime.localeCompare(b.OpenedDateTime))
      .map((order) => tsSnapshotOf(order));
  }

  async positions(session: TradeStationSession): Promise<BrokerPosition[]> {
    const { Positions } = await this.call<{ Positions: TsPositionJson[] }>(
      session,
      `${this.accountPath(session)}/positions`,
    );
    return Positions.map((position) => ({
      symbol: position.Symbol,
      quantity: Number(position.Quantity) * (position.LongShort === 'Short' ? -1 : 1),
      averagePrice: Number(position.AveragePrice).toFixed(2),
      costBasis: Number(position.TotalCost).toFixed(2),
      markPrice: Number(position.Last).toFixed(2),
      marketValue: Number(position.MarketValue).toFixed(2),
      unrealizedPnl: Number(position.UnrealizedProfitLoss).toFixed(2),
    }));
  }

  async balances(session: TradeStationSession): Promise<AccountBalances> {
    const { Balances } = await this.call<{ Balances: TsBalanceJson[] }>(
      session,
      `${this.accountPath(session)}/balances`,
    );
    const balance = Balances.find((candidate) => candidate.AccountID === session.externalAccountId);
    if (!balance)
      throw new DomainError(
        'ACCOUNT_NOT_FOUND',
        'TradeStation no longer lists this account; reconnect to see your accounts',
      );
    return {
      externalAccountId: balance.AccountID,
      currency: 'USD',
      cash: balance.CashBalance,
      buyingPower: balance.BuyingPower,
      equity: balance.Equity,
    };
  }

  /** The TradeStation AccountIDs the connection reaches, to tell which one a broker account id is. */
  async accountIds(session: Omit<TradeStationSession, 'externalAccountId'>): Promise<string[]> {
    const { Accounts } = await this.call<{ Accounts: { AccountID: string }[] }>(
      { ...session, externalAccountId: '' },
      '/v3/brokerage/accounts',
    );
    return Accounts.map((account) => account.AccountID);
  }

  private async order(session: TradeStationSession, brokerOrderId: string): Promise<TsOrderJson> {
    const { Orders, Errors } = await this.call<{ Orders: TsOrderJson[]; Errors?: unknown[] }>(
      session,
      `${this.accountPath(session)}/orders/${encodeURIComponent(brokerOrderId)}`,
    );
    if (!Orders[0]) throw tradeStationRefusal(404, Errors?.[0]);
    return Orders[0];
  }

  private accountPath(session: TradeStationSession): string {
    return `/v3/brokerage/accounts/${encodeURIComponent(session.externalAccountId)}`;
  }

  private async call<T>(session: TradeStationSession, path: string, init?: TradeStationCall): Promise<T> {
    const answer = await callTradeStation(
      this.resilience,
      this.tokens,
      this.urls[session.mode],
      session,
      path,
      init,
    );
    if (answer.status < 300) return answer.body as T;
    throw tradeStationRefusal(answer.status, answer.body, answer.retryAfterSeconds);
  }
}
