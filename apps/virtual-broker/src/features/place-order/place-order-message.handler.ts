import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PlaceOrder as PlaceOrderMessage } from '@tradecore/contracts';
import { DomainError, EventStore } from '@tradecore/eventing';
import { parseCents } from '../../domain/money';
import { rejectionOf } from '../../domain/paper-account.decider';
import type { PlaceOrder } from '../../domain/paper-account.messages';
import { sendIntegrationEvent } from '../../infrastructure/integration-events';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { QuoteTicker } from '../../infrastructure/quote-ticker';

const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;

/**
 * The same path as an order over HTTP, answered by events instead of a response: every refusal
 * becomes an OrderRejected on virtual-broker.events, so the sender always learns the outcome. An
 * order id used before means a redelivery: its first outcome has already been published.
 */
@Injectable()
export class PlaceOrderMessageHandler {
  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  /** An order sent through Kafka on the owner's behalf (by an automation), in the consumer's inbox transaction. */
  async execute(payload: PlaceOrderMessage['payload'], manager: EntityManager): Promise<void> {
    const placedAt = new Date().toISOString();
    const { orderId, virtualAccountId } = payload;
    try {
      const command: PlaceOrder = {
        type: 'PlaceOrder',
        requestedBy: payload.userId,
        orderId,
        symbol: payload.symbol,
        side: upper(payload.side),
        orderType: upper(payload.kind),
        quantity: Number(payload.quantity),
        limitPriceCents: payload.limitPrice === undefined ? null : parseCents(payload.limitPrice),
        stopPriceCents: payload.stopPrice === undefined ? null : parseCents(payload.stopPrice),
        ...(payload.ocoGroupId !== undefined && { ocoGroupId: payload.ocoGroupId }),
        timeInForce: upper(payload.timeInForce),
        quote: this.ticker.quoteFor(payload.symbol),
        placedAt,
      };
      try {
        await this.stream.execute(virtualAccountId, command, { tx: manager });
      } catch (error) {
        const rejection = rejectionOf(command, error);
        if (!rejection) throw error;
        await this.stream.execute(virtualAccountId, rejection, { tx: manager });
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'DUPLICATE_ORDER_ID') return;
      await sendIntegrationEvent(
        this.store,
        virtualAccountId,
        {
          type: 'OrderRejected',
          schemaVersion: 1,
          payload: {
            orderId,
            virtualAccountId,
            reason: { code: error.code, message: error.message },
            rejectedAt: placedAt,
          },
        },
        manager,
      );
    }
  }
}
