import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { Envelope } from '@tradecore/eventing';

/** A saga command as consumed: handled inside the consumer's inbox transaction, answered on saga.replies. */
export abstract class SagaCommandMessage<P> extends Command<void> {
  constructor(
    readonly envelope: Envelope<P>,
    readonly manager: EntityManager,
  ) {
    super();
  }

  get payload(): P {
    return this.envelope.payload;
  }
}
