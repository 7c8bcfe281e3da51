import { Inject, Injectable } from '@nestjs/common';
import type { Reason } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import type { EntityManager } from 'typeorm';
import { decideForUser } from '../../infrastructure/user-stream';
import { UserRecord } from '../../infrastructure/user-record.entity';

/**
 * The UserDeletion saga's way back: the account is open again, the user can log in (sessions
 * stay revoked) and their profile says why the deletion stopped, so they can ask again.
 */
@Injectable()
export class CancelDeletionHandler {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute(userId: string, reason: Reason, manager: EntityManager): Promise<void> {
    const now = new Date();
    const { events } = await decideForUser(
      this.store,
      { type: 'CancelDeletion', userId, reason, at: now.toISOString() },
      manager,
    );
    if (events.length === 0) return;
    await manager.update(
      UserRecord,
      { userId },
      { status: 'active', deletionCancelled: { reason, cancelledAt: now.toISOString() }, updatedAt: now },
    );
  }
}
