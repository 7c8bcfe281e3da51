import { Inject, ServiceUnavailableException } from '@nestjs/common';
import { DomainError } from '@tradecore/eventing';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { PlaceOrderRequestDto } from '@tradecore/order-api';
import { v7 as uuidv7 } from 'uuid';
import { closedStatus } from '../../domain/closed-orders';
import { parseCents } from '../../domain/money';
import { rejectionOf } from '../../domain/paper-account.decider';
import type { PlaceOrder } from '../../domain/paper-account.messages';
import { findOpenOrder } from '../../domain/paper-account.state';
import type { OrderStatus } from '../../domain/order-status';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { QuoteTicker } from '../../infrastructure/quote-ticker';

export interface OrderAccepted {
  readonly orderId: string;
  readonly accountId: string;
  readonly status: OrderStatus;
  readonly version: number;
}

export class PlaceOrderCommand extends Command<OrderAccepted> {
  constructor(
    readonly accountId: string,
    readonly userId: string,
    readonly order: PlaceOrderRequestDto,
  ) {
    super();
  }
}

/** A paused feed is the service's trouble, not the trader's: 503 with Retry-After, like any dependency down. */
function unavailableIfStale(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.code !== 'QUOTE_STALE') return error;
  return new ServiceUnavailableException({
    code: error.code,
    message: error.message,
    details: error.details,
  });
}

/** A refused order is still written down as REJECTED before the refusal reaches the trader. */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
  ) {}

  async execute({ accountId, userId, order }: PlaceOrderCommand): Promise<OrderAccepted> {
    const command: PlaceOrder = {
      type: 'PlaceOrder',
      requestedBy: userId,
      orderId: order.orderId ?? uuidv7(),
      symbol: order.symbol,
      side: order.side,
      orderType: order.type,
      quantity: order.quantity,
      limitPriceCents: order.limitPrice === undefined ? null : parseCents(order.limitPrice),
      stopPriceCents: order.stopPrice === undefined ? null : parseCents(order.stopPrice),
      timeInForce: order.timeInForce ?? 'DAY',
      quote: this.ticker.quoteFor(order.symbol),
      placedAt: new Date().toISOString(),
    };
    try {
      const result = await this.stream.execute(accountId, command);
      const status =
        findOpenOrder(result.state, command.orderId)?.status ??
        closedStatus(result.state.closedOrders, command.orderId)!;
      return { orderId: command.orderId, accountId, status, version: result.version };
    } catch (error) {
      const rejection = rejectionOf(command, error);
      if (rejection) await this.stream.execute(accountId, rejection);
      throw unavailableIfStale(error);
    }
  }
}
