import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ReplaceOrderRequestDto } from '@tradecore/order-api';
import { closedStatus } from '../../domain/closed-orders';
import { parseCents } from '../../domain/money';
import type { OrderStatus } from '../../domain/order-status';
import { findOpenOrder } from '../../domain/paper-account.state';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { QuoteTicker } from '../../infrastructure/quote-ticker';

/** The same answer a real account gives to a replace. */
export interface OrderReplacement {
  readonly orderId: string;
  readonly accountId: string;
  /** NEW or PARTIALLY_FILLED, or FILLED when the new terms crossed the quote at once. */
  readonly status: OrderStatus;
  readonly version: number;
}

export class ReplaceOrderCommand extends Command<OrderReplacement> {
  constructor(
    readonly accountId: string,
    readonly orderId: string,
    readonly userId: string,
    readonly changes: ReplaceOrderRequestDto,
  ) {
    super();
  }
}

/** The DTO has checked the price's form; a form parseCents still refuses reaches the decider as NaN and is refused there. */
const cents = (price: string | undefined) =>
  price === undefined ? undefined : (parseCents(price) ?? Number.NaN);

@CommandHandler(ReplaceOrderCommand)
export class ReplaceOrderHandler implements ICommandHandler<ReplaceOrderCommand> {
  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
  ) {}

  async execute({ accountId, orderId, userId, changes }: ReplaceOrderCommand): Promise<OrderReplacement> {
    const result = await this.stream.execute(accountId, {
      type: 'ReplaceOrder',
      requestedBy: userId,
      orderId,
      quantity: changes.quantity,
      limitPriceCents: cents(changes.limitPrice),
      stopPriceCents: cents(changes.stopPrice),
      timeInForce: changes.timeInForce,
      quotes: this.ticker.currentQuotes(),
      replacedAt: new Date().toISOString(),
    });
    const status =
      findOpenOrder(result.state, orderId)?.status ?? closedStatus(result.state.closedOrders, orderId)!;
    return { orderId, accountId, status, version: result.version };
  }
}
