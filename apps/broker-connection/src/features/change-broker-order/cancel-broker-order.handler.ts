import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { OrderStatus } from '../../domain/broker-order.decider';
import { BrokerOrderStream } from '../../infrastructure/broker-order-stream';
import { asHttpFailure } from '../../infrastructure/trading/broker-failure';
import { BrokerTrading } from '../../infrastructure/trading/broker-trading';
import { OrderUpdates } from '../../infrastructure/trading/order-updates';
import { TradingAccounts } from '../../infrastructure/trading/trading-accounts';
import { openOrderOf } from './owned-order';

export interface OrderChanged {
  readonly orderId: string;
  readonly accountId: string;
  /** What the broker says now: CANCELLED, or still open while its cancel is pending. */
  readonly status: OrderStatus;
}

export class CancelBrokerOrderCommand extends Command<OrderChanged> {
  constructor(
    readonly accountId: string,
    readonly orderId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/** Asks the broker to cancel, then records the order as the broker has it. */
@CommandHandler(CancelBrokerOrderCommand)
export class CancelBrokerOrderHandler implements ICommandHandler<CancelBrokerOrderCommand> {
  constructor(
    @Inject(TradingAccounts) private readonly accounts: TradingAccounts,
    @Inject(BrokerOrderStream) private readonly stream: BrokerOrderStream,
    @Inject(OrderUpdates) private readonly updates: OrderUpdates,
    @Inject(BrokerTrading) private readonly trading: BrokerTrading,
  ) {}

  async execute({ accountId, orderId, userId }: CancelBrokerOrderCommand): Promise<OrderChanged> {
    const account = await this.accounts.owned(accountId, userId);
    const order = await openOrderOf(this.stream, accountId, orderId);
    try {
      await this.trading.of(account).cancelOrder(order.brokerOrderId);
      await this.updates.apply(account, await this.trading.of(account).getOrder(order.brokerOrderId));
    } catch (error) {
      throw asHttpFailure(error);
    }
    const { state } = await this.stream.load(orderId);
    return { orderId, accountId, status: state.status as OrderStatus };
  }
}
