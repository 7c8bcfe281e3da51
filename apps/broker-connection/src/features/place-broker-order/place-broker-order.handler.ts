import { HttpException, Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { BrokerOrderRef, BrokerOrderTerms, RealBroker, Reason } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import type { OrderStatus } from '../../domain/broker-order.decider';
import { BrokerAdapterError } from '../../infrastructure/adapters/broker-adapter';
import { BrokerOrderStream } from '../../infrastructure/broker-order-stream';
import { asHttpFailure } from '../../infrastructure/trading/broker-failure';
import { BrokerTrading } from '../../infrastructure/trading/broker-trading';
import { OrderUpdates } from '../../infrastructure/trading/order-updates';
import { TradingAccounts } from '../../infrastructure/trading/trading-accounts';
import { PlaceOrderRequestDto, takesLimitPrice, takesStopPrice } from '@tradecore/order-api';

/** The paper broker's answer to a placed order. */
export interface OrderAccepted {
  readonly orderId: string;
  readonly accountId: string;
  readonly status: OrderStatus;
  readonly version: number;
}

export class PlaceBrokerOrderCommand extends Command<OrderAccepted> {
  constructor(
    readonly accountId: string,
    readonly userId: string,
    readonly order: PlaceOrderRequestDto,
  ) {
    super();
  }
}

export const RETRY_SAME_ID =
  '; the order may or may not have reached the broker: retry with the same orderId, it will not be placed twice';

/** Records the order, sends it to the broker, and records its answer; a refusal is kept as REJECTED, as on paper. */
@CommandHandler(PlaceBrokerOrderCommand)
export class PlaceBrokerOrderHandler implements ICommandHandler<PlaceBrokerOrderCommand> {
  constructor(
    @Inject(TradingAccounts) private readonly accounts: TradingAccounts,
    @Inject(BrokerOrderStream) private readonly stream: BrokerOrderStream,
    @Inject(BrokerTrading) private readonly trading: BrokerTrading,
    @Inject(OrderUpdates) private readonly updates: OrderUpdates,
  ) {}

  async execute({ accountId, userId, order }: PlaceBrokerOrderCommand): Promise<OrderAccepted> {
    assertPricesFit(order);
    const account = await this.accounts.owned(accountId, userId);
    const orderId = order.orderId ?? uuidv7();
    const terms = await recordPlacement(
      this.stream,
      orderId,
      account.broker,
      { accountId, userId, connectionId: account.connectionId },
      {
        symbol: order.symbol,
        side: order.side,
        kind: order.type,
        quantity: order.quantity,
        limitPrice: order.limitPrice ?? null,
        stopPrice: order.stopPrice ?? null,
        timeInForce: order.timeInForce ?? 'DAY',
      },
    );
    try {
      await this.updates.apply(account, await this.trading.of(account).placeOrder(orderId, terms));
    } catch (error) {
      if (error instanceof BrokerAdapterError && error.transient) throw asHttpFailure(error, RETRY_SAME_ID);
      await this.stream.execute(orderId, {
        type: 'RecordRefusal',
        reason: reasonOf(error),
        at: new Date().toISOString(),
      });
      throw asHttpFailure(error);
    }
    const { state, version } = await this.stream.load(orderId);
    return { orderId, accountId, status: state.status as OrderStatus, version };
  }
}

/**
 * Records the order before it goes out. A retry of one whose outcome was unknown (the broker
 * timed out) is sent again with the terms first recorded; its client order id stops a second placement.
 */
export async function recordPlacement(
  stream: BrokerOrderStream,
  orderId: string,
  broker: RealBroker,
  owner: Omit<BrokerOrderRef, 'orderId'>,
  terms: BrokerOrderTerms,
): Promise<BrokerOrderTerms> {
  const { state } = await stream.load(orderId);
  if (state.status === 'NEW' && state.brokerOrderId === null && state.accountId === owner.accountId)
    return state;
  const at = new Date().toISOString();
  await stream.execute(orderId, { type: 'PlaceOrder', broker, ref: { orderId, ...owner }, terms, at });
  return terms;
}

/** A price given for a kind that takes none, refused with the paper broker's codes. */
function assertPricesFit(order: PlaceOrderRequestDto): void {
  if (order.limitPrice !== undefined && !takesLimitPrice(order.type))
    throw new DomainError('INVALID_LIMIT_PRICE', `a ${order.type} order takes no limit price; leave it out`);
  if (order.stopPrice !== undefined && !takesStopPrice(order.type))
    throw new DomainError('INVALID_STOP_PRICE', `a ${order.type} order takes no stop price; leave it out`);
}

/** Why an order that never reached the broker's book was refused, in the words its error carries. */
export function reasonOf(error: unknown): Reason {
  if (error instanceof DomainError || error instanceof BrokerAdapterError)
    return { code: error.code, message: error.message };
  if (error instanceof HttpException) {
    const { code, message } = error.getResponse() as { code?: string; message?: string };
    return { code: code ?? 'ORDER_REFUSED_BY_BROKER', message: message ?? error.message };
  }
  throw error;
}
