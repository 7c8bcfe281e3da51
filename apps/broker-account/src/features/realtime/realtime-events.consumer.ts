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
import { contractMessageOf, type Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import {
  addressedUpdateOf,
  FOLLOWED_EVENT_TYPES,
  FollowedEvent,
  type Ownership,
  ownershipsOf,
} from '../../domain/realtime-updates';
import { RealtimeOwners } from '../../infrastructure/realtime-owners';
import { type LogEntry, UserUpdateLog } from '../../infrastructure/user-update-log';
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
  ) {}

  handle(envelope: Received<FollowedTopic>, manager: EntityManager): Promise<void> {
    return this.handleBatch([envelope], manager);
  }

  /**
   * A fetch's events in their order, with one owner insert and one log append per user for them
   * all instead of one of each per event. An owner looked up sees every ownership recorded before
   * it, and an erasure everything logged before it, as one event at a time did.
   */
  async handleBatch(envelopes: readonly Received<FollowedTopic>[], manager: EntityManager): Promise<void> {
    const ownerships: Ownership[] = [];
    const updates = new Map<string, LogEntry[]>();
    const logUpdates = async () => {
      for (const [userId, entries] of updates) await this.log.appendAll(userId, entries);
      updates.clear();
    };
    for (const envelope of envelopes) {
      if (envelope.type === 'UserDeleted') {
        await this.owners.record(manager, ownerships.splice(0));
        await logUpdates();
        await this.forget(envelope.payload.userId, manager);
        continue;
      }
      // Opened already: the runtime opens what is sealed for this service before a handler sees it.
      const event = await withRecordedBalance(
        contractMessageOf<FollowedTopic>(envelope) as FollowedEvent,
        manager,
      );
      ownerships.push(...ownershipsOf(event));
      const addressed = addressedUpdateOf(event, envelope.occurredAt);
      if (!addressed) continue;
      if (!('userId' in addressed.owner)) await this.owners.record(manager, ownerships.splice(0));
      // No owner known: nobody's channel gets it, rather than a guessed one.
      const userId = await this.owners.userOf(manager, addressed.owner);
      if (!userId) continue;
      const entries = updates.get(userId) ?? [];
      updates.set(userId, [...entries, { messageKey: envelope.messageId, update: addressed.update }]);
    }
    await this.owners.record(manager, ownerships);
    await logUpdates();
  }

  private async forget(userId: string, manager: EntityManager): Promise<void> {
    await this.owners.forget(manager, userId);
    await this.log.forget(userId);
  }
}
