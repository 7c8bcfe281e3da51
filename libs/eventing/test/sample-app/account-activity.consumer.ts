import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Envelope } from '@tradecore/eventing';
import {
  ConsumesTopic,
  EVENTING_OPTIONS,
  EventingModuleOptions,
  TopicConsumer,
} from '@tradecore/eventing/nest';
import { SAMPLE_TOPIC } from './sample-account.controller';

export const PARTNER_TOPIC = 'partner.events';

/** Records each account event it sees, so a test can watch a command travel through Kafka. */
@ConsumesTopic([SAMPLE_TOPIC, PARTNER_TOPIC], { group: 'sample.account-activity' })
export class AccountActivityConsumer implements TopicConsumer {
  constructor(@Inject(EVENTING_OPTIONS) private readonly options: EventingModuleOptions) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO "${this.options.schema}".account_activity (message_id, type, correlation_id) VALUES ($1, $2, $3)`,
      [envelope.messageId, envelope.type, envelope.correlationId],
    );
  }
}
