import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  automationEventTypes,
  brokerAccountEventTypes,
  brokerConnectionEventTypes,
  brokerOrderEventTypes,
  sagaLifecycleEventTypes,
  userAccountEventTypes,
  virtualBrokerEventTypes,
} from '@tradecore/contracts';
import { contractMessageOf, EventStore, type Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import {
  addressedUpdateOf,
  FOLLOWED_EVENT_TYPES,
  FollowedEvent,
  ownershipsOf,
} from '../../domain/realtime-updates';
import { RealtimeOwners } from '../../infrastructure/realtime-owners';
import { UserUpdateLog } from '../../infrastructure/user-update-log';
import { withRecordedBalance } from './real-account-balance';

const PAPER_TYPES: readonly string[] = virtualBrokerEventTypes;

/**
 * The types this consumer acts on: every followed one but the virtual broker's (the paper-accounts
 * consumer tells their owners, beside the ledger they move), and a user's erasure.
 */
export const REALTIME_HANDLED_TYPES = [
  ...FOLLOWED_EVENT_TYPES.filter((type) => !PAPER_TYPES.includes(type)),
  'UserDeleted',
] as const;

/**
 * Every event a user may see, appended to that user's update log; one group for all replicas, so
 * each event is logged once. Personal fields are opened here (this service holds their keys):
 * the channel shows its owner what they may see. Appended inside the inbox transaction, not
 * after its commit: a Redis failure retries the message instead of losing the update, and the
 * log's message-id check keeps a retry from logging it twice.
 */
const FOLLOWED_TOPICS = [
  'broker-orders.events',
  'broker-account.events',
  'broker-connection.events',
  'saga-orchestrator.events',
  'automation.events',
  'user-account.events',
] as const;
type FollowedTopic = (typeof FOLLOWED_TOPICS)[number];

@ConsumesTopic(FOLLOWED_TOPICS, {
  group: 'broker-account.realtime',
  knownTypes: [
    ...brokerOrderEventTypes,
    ...brokerAccountEventTypes,
    ...brokerConnectionEventTypes,
    ...sagaLifecycleEventTypes,
    ...automationEventTypes,
    ...userAccountEventTypes,
  ],
  handles: REALTIME_HANDLED_TYPES,
})
export class RealtimeEventsConsumer implements TopicConsumer {
  constructor(
    @Inject(RealtimeOwners) private readonly owners: RealtimeOwners,
    @Inject(UserUpdateLog) private readonly log: UserUpdateLog,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async handle(envelope: Received<FollowedTopic>, manager: EntityManager): Promise<void> {
    if (envelope.type === 'UserDeleted') return this.forget(envelope.payload.userId, manager);
    const sealed = contractMessageOf<FollowedTopic>(envelope);
    const opened = (await (this.store.personalData?.open(sealed, manager) ?? sealed)) as FollowedEvent;
    const event = await withRecordedBalance(opened, manager);
    await this.owners.record(manager, ownershipsOf(event));
    const addressed = addressedUpdateOf(event, envelope.occurredAt);
    // No owner known: nobody's channel gets it, rather than a guessed one.
    const userId = addressed && (await this.owners.userOf(manager, addressed.owner));
    if (addressed && userId) await this.log.append(userId, envelope.messageId, addressed.update);
  }

  private async forget(userId: string, manager: EntityManager): Promise<void> {
    await this.owners.forget(manager, userId);
    await this.log.forget(userId);
  }
}
