import { Inject, Injectable } from '@nestjs/common';
import type { BrokerOrderTerms } from '@tradecore/contracts';
import type { BrokerOrderSnapshot } from '../../domain/broker-order.decider';
import { AlpacaTradingAdapter } from '../adapters/alpaca-trading.adapter';
import { TradeStationTradingAdapter } from '../adapters/tradestation-trading.adapter';
import type {
  AccountBalances,
  BrokerPosition,
  OcoOrders,
  OcoSnapshots,
  OrderChanges,
  TradingAdapter,
} from '../adapters/trading-adapter';
import { AlpacaTradeStream } from './alpaca-trade-stream';
import type { TradeStream, TradeStreamListener, TradeStreamSettings } from './trade-stream';
import { TradeStationOrderStream } from './tradestation-order-stream';
import type { TradingAccount } from './trading-accounts';

/** One account's trading calls, whatever its broker. */
export interface AccountTrading {
  placeOrder(clientOrderId: string, terms: BrokerOrderTerms): Promise<BrokerOrderSnapshot>;
  placeOcoOrders(orders: OcoOrders): Promise<OcoSnapshots>;
  cancelOrder(brokerOrderId: string): Promise<void>;
  replaceOrder(brokerOrderId: string, changes: OrderChanges): Promise<BrokerOrderSnapshot>;
  getOrder(brokerOrderId: string): Promise<BrokerOrderSnapshot>;
  ordersSubmittedAfter(since: string): Promise<BrokerOrderSnapshot[]>;
  positions(): Promise<BrokerPosition[]>;
  balances(): Promise<AccountBalances>;
}

const bound = <S>(adapter: TradingAdapter<S>, session: S): AccountTrading => ({
  placeOrder: (clientOrderId, terms) => adapter.placeOrder(session, clientOrderId, terms),
  placeOcoOrders: (orders) => adapter.placeOcoOrders(session, orders),
  cancelOrder: (brokerOrderId) => adapter.cancelOrder(session, brokerOrderId),
  replaceOrder: (brokerOrderId, changes) => adapter.replaceOrder(session, brokerOrderId, changes),
  getOrder: (brokerOrderId) => adapter.getOrder(session, brokerOrderId),
  ordersSubmittedAfter: (since) => adapter.ordersSubmittedAfter(session, since),
  positions: () => adapter.positions(session),
  balances: () => adapter.balances(session),
});

/** The one place that picks an account's trading adapter and stream by its broker. */
@Injectable()
export class BrokerTrading {
  constructor(
    @Inject(AlpacaTradingAdapter) private readonly alpaca: AlpacaTradingAdapter,
    @Inject(TradeStationTradingAdapter) private readonly tradeStation: TradeStationTradingAdapter,
  ) {}

  of(account: TradingAccount): AccountTrading {
    return account.broker === 'alpaca'
      ? bound(this.alpaca, account.session)
      : bound(this.tradeStation, account.session);
  }

  stream(account: TradingAccount, listener: TradeStreamListener, settings: TradeStreamSettings): TradeStream {
    if (account.broker === 'alpaca')
      return new AlpacaTradeStream(
        this.alpaca.streamUrl(account.session),
        account.session.credentials,
        listener,
        settings,
      );
    const { session } = account;
    return new TradeStationOrderStream(
      this.tradeStation.streamUrl(session),
      (rejected) => this.tradeStation.accessToken(session, rejected),
      listener,
      settings,
    );
  }
}
