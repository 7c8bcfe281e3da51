import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@tradecore/eventing';
import type { ReplaceOrderRequestDto } from '@tradecore/order-api';
import type { OrderStatus } from '../../domain/broker-order.decider';
import { BrokerOrderStream } from '../../infrastructure/broker-order-stream';
import { asHttpFailure } from '../../infrastructure/trading/broker-failure';
import { BrokerTrading } from '../../infrastructure/trading/broker-trading';
import { OrderUpdates } from '../../infrastructure/trading/order-updates';
import { TradingAccounts } from '../../infrastructure/trading/trading-accounts';
import type { OrderChanged } from './cancel-broker-order.handler';
import { openOrderOf } from './owned-order';

export class ReplaceBrokerOrderCommand extends Command<OrderChanged & { version: number }> {
  constructor(
    readonly accountId: string,
    readonly orderId: string,
    readonly userId: string,
    readonly changes: ReplaceOrderRequestDto,
  ) {
    super();
  }
}

/** The broker replaces an order by a new one with its own id; ours stays the same order, with the new terms. */
@CommandHandler(ReplaceBrokerOrderCommand)
export class ReplaceBrokerOrderHandler implements ICommandHandler<ReplaceBrokerOrderCommand> {
  constructor(
    @Inject(TradingAccounts) private readonly accounts: TradingAccounts,
    @Inject(BrokerOrderStream) private readonly stream: BrokerOrderStream,
    @Inject(OrderUpdates) private readonly updates: OrderUpdates,
    @Inject(BrokerTrading) private readonly trading: BrokerTrading,
  ) {}

  async execute({ accountId, orderId, userId, changes }: ReplaceBrokerOrderCommand) {
    if (Object.values(changes).every((value) => value === undefined))
      throw new DomainError(
        'NOTHING_TO_REPLACE',
        'name at least one of quantity, limitPrice, stopPrice, timeInForce',
      );
    const account = await this.accounts.owned(accountId, userId);
    const order = await openOrderOf(this.stream, accountId, orderId);
    if (changes.limitPrice !== undefined && order.limitPrice === null)
      throw new DomainError('INVALID_LIMIT_PRICE', `a ${order.kind} order takes no limit price`);
    if (changes.stopPrice !== undefined && order.stopPrice === null)
      throw new DomainError('INVALID_STOP_PRICE', `a ${order.kind} order takes no stop price`);
    try {
      const replacement = await this.trading.of(account).replaceOrder(order.brokerOrderId, {
        ...changes,
        clientOrderId: `${orderId}.r${Date.now().toString(36)}`,
      });
      await this.updates.apply(account, replacement);
    } catch (error) {
      throw asHttpFailure(error);
    }
    const { state, version } = await this.stream.load(orderId);
    return { orderId, accountId, status: state.status as OrderStatus, version };
  }
}
