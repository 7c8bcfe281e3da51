import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { BrokerOrderTerms, PlaceBrokerExitOrders } from '@tradecore/contracts';
import { BrokerAdapterError } from '../../infrastructure/adapters/broker-adapter';
import { BrokerOrderStream } from '../../infrastructure/broker-order-stream';
import { asHttpFailure } from '../../infrastructure/trading/broker-failure';
import { BrokerTrading } from '../../infrastructure/trading/broker-trading';
import { OrderUpdates } from '../../infrastructure/trading/order-updates';
import { TradingAccounts } from '../../infrastructure/trading/trading-accounts';
import { reasonOf, RETRY_SAME_ID } from './place-broker-order.handler';

type ExitOrders = PlaceBrokerExitOrders['payload'];
export type ExitPair = ExitOrders & {
  readonly takeProfit: NonNullable<ExitOrders['takeProfit']>;
  readonly stopLoss: NonNullable<ExitOrders['stopLoss']>;
};

export class PlaceExitOrdersCommand extends Command<void> {
  constructor(readonly exits: ExitPair) {
    super();
  }
}

/**
 * Records both legs, sends them to the broker as one OCO group and records what it answered for
 * each. A retry (the broker did not answer) sends the same group again: the broker knows it by
 * the take-profit's client order id and answers with the group it already holds.
 */
@CommandHandler(PlaceExitOrdersCommand)
export class PlaceExitOrdersHandler implements ICommandHandler<PlaceExitOrdersCommand> {
  constructor(
    @Inject(TradingAccounts) private readonly accounts: TradingAccounts,
    @Inject(BrokerOrderStream) private readonly stream: BrokerOrderStream,
    @Inject(BrokerTrading) private readonly trading: BrokerTrading,
    @Inject(OrderUpdates) private readonly updates: OrderUpdates,
  ) {}

  async execute({ exits }: PlaceExitOrdersCommand): Promise<void> {
    const { accountId, userId, takeProfit, stopLoss } = exits;
    const account = await this.accounts.owned(accountId, userId);
    const owner = { accountId, userId, connectionId: account.connectionId };
    const leg = {
      symbol: exits.symbol,
      side: exits.side,
      quantity: exits.quantity,
      timeInForce: exits.timeInForce,
    };
    const legs: [string, BrokerOrderTerms][] = [
      [takeProfit.orderId, { ...leg, kind: 'LIMIT', limitPrice: takeProfit.limitPrice, stopPrice: null }],
      [stopLoss.orderId, { ...leg, kind: 'STOP', limitPrice: null, stopPrice: stopLoss.stopPrice }],
    ];
    const recorded = await Promise.all(legs.map(([orderId]) => this.stream.load(orderId)));
    // A redelivery after the broker answered for both legs, or refused the group, does nothing; one
    // after a crash between the answers sends the group again to learn the other leg's id.
    const refused = recorded.some(({ state }) => state.status === 'REJECTED' && state.brokerOrderId === null);
    const answered = recorded.every(({ state }) => state.status !== 'ABSENT' && state.brokerOrderId !== null);
    if (refused || answered) return;
    const at = new Date().toISOString();
    for (const [index, [orderId, terms]] of legs.entries())
      if (recorded[index].state.status === 'ABSENT')
        await this.stream.execute(orderId, {
          type: 'PlaceOrder',
          broker: account.broker,
          ref: { orderId, ...owner },
          terms,
          at,
        });
    try {
      const placed = await this.trading.of(account).placeOcoOrders({
        ...leg,
        takeProfit: { clientOrderId: takeProfit.orderId, limitPrice: takeProfit.limitPrice },
        stopLoss: { clientOrderId: stopLoss.orderId, stopPrice: stopLoss.stopPrice },
      });
      await this.updates.apply(account, placed.takeProfit);
      await this.updates.apply(account, placed.stopLoss);
    } catch (error) {
      if (error instanceof BrokerAdapterError && error.transient) throw asHttpFailure(error, RETRY_SAME_ID);
      const reason = reasonOf(error);
      for (const [orderId] of legs)
        await this.stream.execute(orderId, { type: 'RecordRefusal', reason, at: new Date().toISOString() });
      throw asHttpFailure(error);
    }
  }
}
