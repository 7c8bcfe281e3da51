import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { BrokerOrderTerms, Reason } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import type { BrokerOrderSnapshot, OrderStatus } from '../../domain/broker-order.decider';
import { AlpacaTradingAdapter } from '../../infrastructure/adapters/alpaca-trading.adapter';
import { BrokerOrderStream } from '../../infrastructure/broker-order-stream';
import { asHttpFailure } from '../../infrastructure/trading/broker-failure';
import { TradingAccounts } from '../../infrastructure/trading/trading-accounts';
import { assertPricesFit, PlaceBrokerOrderDto } from './place-broker-order.dto';

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
    readonly order: PlaceBrokerOrderDto,
  ) {
    super();
  }
}

const RETRY_SAME_ID =
  '; the order may or may not have reached the broker: retry with the same orderId, it will not be placed twice';

/** Sends the order to the broker first, then records what it said; a refusal is kept as REJECTED, as on paper. */
@CommandHandler(PlaceBrokerOrderCommand)
export class PlaceBrokerOrderHandler implements ICommandHandler<PlaceBrokerOrderCommand> {
  constructor(
    @Inject(TradingAccounts) private readonly accounts: TradingAccounts,
    @Inject(BrokerOrderStream) private readonly stream: BrokerOrderStream,
    @Inject(AlpacaTradingAdapter) private readonly alpaca: AlpacaTradingAdapter,
  ) {}

  async execute({ accountId, userId, order }: PlaceBrokerOrderCommand): Promise<OrderAccepted> {
    assertPricesFit(order);
    const account = await this.accounts.owned(accountId, userId);
    const orderId = order.orderId ?? uuidv7();
    if ((await this.stream.load(orderId)).state.status !== 'ABSENT')
      throw new DomainError('DUPLICATE_ORDER_ID', `an order ${orderId} exists already; use a new orderId`);
    const terms: BrokerOrderTerms = {
      symbol: order.symbol,
      side: order.side,
      kind: order.type,
      quantity: order.quantity,
      limitPrice: order.limitPrice ?? null,
      stopPrice: order.stopPrice ?? null,
      timeInForce: order.timeInForce ?? 'DAY',
    };
    let outcome: { accepted: BrokerOrderSnapshot } | { refused: Reason };
    let refusal: DomainError | undefined;
    try {
      outcome = { accepted: await this.alpaca.placeOrder(account.session, orderId, terms) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw asHttpFailure(error, RETRY_SAME_ID);
      refusal = error;
      outcome = { refused: { code: error.code, message: error.message } };
    }
    const { connectionId } = account;
    const result = await this.stream.execute(orderId, {
      type: 'RecordPlacement',
      ref: { orderId, accountId, connectionId, userId },
      terms,
      outcome,
      at: new Date().toISOString(),
    });
    if (refusal) throw refusal;
    return { orderId, accountId, status: result.state.status as OrderStatus, version: result.version };
  }
}
