import { Inject } from '@nestjs/common';
import { brokerConnectionEventTypes, BrokerConnectionEvent } from '@tradecore/contracts';
import { Envelope, EventStore } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import type { EntityManager } from 'typeorm';
import { decideForUser } from '../../infrastructure/user-stream';

/** The events that change which connections a user owns; the others pass by without a transaction. */
export const TRACKED_CONNECTION_EVENTS: readonly BrokerConnectionEvent['type'][] = [
  'BrokerConnectionRequested',
  'BrokerConnectionPurged',
];

/**
 * Remembers which broker connections each user owns, so UserDeletionRequested can carry
 * them and the deletion saga never has to ask broker-connection.
 */
@ConsumesTopic('broker-connection.events', {
  group: 'user-account.track-connections',
  knownTypes: brokerConnectionEventTypes,
  handles: TRACKED_CONNECTION_EVENTS,
  fromBeginning: true,
})
export class TrackConnectionsConsumer implements TopicConsumer {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    const event = { type: envelope.type, payload: envelope.payload } as BrokerConnectionEvent;
    const { userId, connectionId } = event.payload;
    if (event.type === 'BrokerConnectionRequested') {
      await decideForUser(this.store, { type: 'TrackConnection', userId, connectionId }, manager);
    } else if (event.type === 'BrokerConnectionPurged') {
      await decideForUser(this.store, { type: 'ForgetConnection', userId, connectionId }, manager);
    }
  }
}
