import { Inject } from '@nestjs/common';
import { type UserDeleted, userAccountEventTypes } from '@tradecore/contracts';
import type { EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { EventStore } from '../event-store/event-store';
import { ConsumesTopic, TopicConsumer } from '../nest/consumes-topic.decorator';

/**
 * In every service that seals personal data: once user-account has erased a user, this service
 * shreds the user's key, so its events, outbox rows and Kafka messages about them read as erased.
 */
@ConsumesTopic('user-account.events', { knownTypes: userAccountEventTypes, handles: ['UserDeleted'] })
export class ErasureConsumer implements TopicConsumer {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    const { userId } = envelope.payload as UserDeleted['payload'];
    if (envelope.type === 'UserDeleted' && typeof userId === 'string')
      await this.store.personalData?.shred(userId, manager);
  }
}
