import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CancelOrder as CancelOrderMessage } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';

/**
 * A cancel sent through Kafka on the owner's behalf (an automation's cancel signal), answered by
 * OrderCancelled. One the order's rules refuse (already filled, cancelled or expired) needs no
 * answer: the order's end was published when it happened.
 */
@Injectable()
export class CancelOrderMessageHandler {
  constructor(@Inject(PaperAccountStream) private readonly stream: PaperAccountStream) {}

  async execute(payload: CancelOrderMessage['payload'], tx: EntityManager): Promise<void> {
    const { orderId, virtualAccountId, userId } = payload;
    try {
      await this.stream.execute(
        virtualAccountId,
        { type: 'CancelOrder', requestedBy: userId, orderId, cancelledAt: new Date().toISOString() },
        { tx },
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
}
