import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, EventStore, VersionConflictError } from '@tradecore/eventing';
import type { BrokerExecution, BrokerOrderSnapshot } from '../../domain/broker-order.decider';
import { BrokerOrderStream } from '../broker-order-stream';
import { ConnectionStream } from '../connection-stream';
import { BrokerTrading } from './broker-trading';
import type { TradingAccount } from './trading-accounts';

const UUID_LENGTH = 36;

/** Our order id is the client order id (a replacement's is `<orderId>.r<suffix>`). */
export const orderIdOf = (clientOrderId: string) => clientOrderId.slice(0, UUID_LENGTH);

/**
 * Applies what the broker says of an order, from a request, the stream or a reconciliation, and
 * reports the account's balances after a fill. Orders placed outside TradeCore are not followed.
 */
@Injectable()
export class OrderUpdates {
  private readonly logger = new Logger('OrderUpdates');
  private readonly orders: string;

  constructor(
    @Inject(BrokerOrderStream) private readonly stream: BrokerOrderStream,
    @Inject(ConnectionStream) private readonly connections: ConnectionStream,
    @Inject(BrokerTrading) private readonly trading: BrokerTrading,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) store: EventStore,
  ) {
    this.orders = `"${store.schema}".broker_orders`;
  }

  /** The number of fills it recorded: 0 for an update already applied. */
  async apply(
    account: TradingAccount,
    snapshot: BrokerOrderSnapshot,
    execution?: BrokerExecution,
  ): Promise<number> {
    const orderId = await this.orderIdOf(account, snapshot);
    if (!orderId) return 0;
    const { state } = await this.stream.load(orderId);
    if (state.status === 'ABSENT' || state.accountId !== account.accountId) return 0;
    const result = await this.stream.execute(orderId, {
      type: 'ApplyBrokerUpdate',
      snapshot,
      execution,
      at: new Date().toISOString(),
    });
    const fills = result.events.filter(
      (event) => event.type === 'BrokerOrderFilled' || event.type === 'BrokerOrderPartiallyFilled',
    );
    if (fills.length) await this.reportBalances(account);
    return fills.length;
  }

  /**
   * After a gap in the stream: every order the broker has from the oldest one still open here on,
   * applied again. Fills already recorded decide nothing, so none is lost and none doubled.
   */
  async reconcile(account: TradingAccount): Promise<number> {
    const [oldest] = await this.dataSource.query<{ placed_at: Date }[]>(
      `SELECT placed_at FROM ${this.orders} WHERE connection_id = $1 AND status IN ('NEW', 'PARTIALLY_FILLED')
       ORDER BY placed_at LIMIT 1`,
      [account.connectionId],
    );
    if (!oldest) return 0;
    // The broker stamps submission a moment before we record placement: look a minute further back.
    const since = new Date(oldest.placed_at.getTime() - 60_000).toISOString();
    let fills = 0;
    for (const snapshot of await this.trading.of(account).ordersSubmittedAfter(since))
      fills += await this.apply(account, snapshot);
    return fills;
  }

  /**
   * Ours is the client order id where the broker echoes it (Alpaca); TradeStation's orders carry
   * none, and the stop-loss leg of an Alpaca OCO carries one Alpaca chose, so such an update is
   * matched by the broker's order id once the order was accepted.
   */
  private async orderIdOf(
    account: TradingAccount,
    snapshot: BrokerOrderSnapshot,
  ): Promise<string | undefined> {
    if (snapshot.clientOrderId) {
      const orderId = orderIdOf(snapshot.clientOrderId);
      if ((await this.stream.load(orderId)).state.status !== 'ABSENT') return orderId;
    }
    const [row] = await this.dataSource.query<{ order_id: string }[]>(
      `SELECT order_id FROM ${this.orders} WHERE connection_id = $1 AND broker_order_id = $2`,
      [account.connectionId, snapshot.brokerOrderId],
    );
    return row?.order_id;
  }

  async reportBalances(account: TradingAccount): Promise<void> {
    const { externalAccountId, currency, cash, buyingPower, equity } = await this.trading
      .of(account)
      .balances();
    const at = new Date().toISOString();
    const report = {
      type: 'ReportBalances' as const,
      balances: [{ externalAccountId, currency, cash, buyingPower, equity, asOf: at }],
      at,
    };
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        return void (await this.connections.execute(account.connectionId, report));
      } catch (error) {
        if (error instanceof DomainError)
          return this.logger.warn(`balances of ${account.connectionId} not reported: ${error.code}`);
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
  }
}
