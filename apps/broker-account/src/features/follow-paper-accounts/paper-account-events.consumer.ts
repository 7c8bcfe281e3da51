import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { VirtualBrokerEvent, virtualBrokerEventTypes } from '@tradecore/contracts';
import { contractMessageOf, type Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { ledgerChangesOf, twiceMarksOf } from '../../domain/paper-ledger';
import { ownershipsOf } from '../../domain/realtime-updates';
import { PaperLedgers } from '../../infrastructure/paper-ledgers';
import { RealtimeOwners } from '../../infrastructure/realtime-owners';
import { PaperAccountUpdates } from '../realtime/paper-account-updates';

/**
 * Every virtual-broker event: those that move a paper account's money or the marks that value it,
 * and the rest for the owner's real-time channel (this consumer tells the owner of paper accounts
 * everything, so the real-time consumer does not read this topic).
 */
export const FOLLOWED_PAPER_EVENTS: readonly VirtualBrokerEvent['type'][] = virtualBrokerEventTypes;

/**
 * Paper accounts are followed, never asked: each event moves the ledger and the balance the owner
 * reads, and the owner's real-time channel hears the event, the new position and balance.
 */
@ConsumesTopic('virtual-broker.events', {
  group: 'broker-account.paper-accounts',
  knownTypes: virtualBrokerEventTypes,
  handles: FOLLOWED_PAPER_EVENTS,
})
export class PaperAccountEventsConsumer implements TopicConsumer {
  constructor(
    @Inject(PaperLedgers) private readonly ledgers: PaperLedgers,
    @Inject(RealtimeOwners) private readonly owners: RealtimeOwners,
    @Inject(PaperAccountUpdates) private readonly updates: PaperAccountUpdates,
  ) {}

  async handle(envelope: Received<'virtual-broker.events'>, manager: EntityManager): Promise<void> {
    const event = contractMessageOf<'virtual-broker.events'>(envelope);
    if (event.type === 'MarketMarked') {
      await this.ledgers.mark(manager, twiceMarksOf(event), new Date(event.payload.markedAt));
      return;
    }
    await this.owners.record(manager, ownershipsOf(event));
    const changed = [];
    for (const { virtualAccountId, change } of ledgerChangesOf(event))
      changed.push(
        await this.ledgers.apply(manager, virtualAccountId, change, new Date(envelope.occurredAt)),
      );
    await this.updates.publish(manager, envelope, event, changed);
  }
}
