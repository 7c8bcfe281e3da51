import { Inject, Injectable } from '@nestjs/common';
import type { Reason } from '@tradecore/contracts';
import type { EntityManager } from 'typeorm';
import { UserStream } from '../../infrastructure/user-stream';
import { UserRecord } from '../../infrastructure/user-record.entity';

/**
 * The UserDeletion saga's way back: the account is open again, the user can log in (sessions
 * stay revoked) and their profile says why the deletion stopped, so they can ask again.
 */
@Injectable()
export class CancelDeletionHandler {
  constructor(@Inject(UserStream) private readonly users: UserStream) {}

  async execute(userId: string, reason: Reason, manager: EntityManager): Promise<void> {
    const now = new Date();
    const { events } = await this.users.execute(
      userId,
      { type: 'CancelDeletion', userId, reason, at: now.toISOString() },
      { tx: manager },
    );
    if (events.length === 0) return;
    await manager.update(
      UserRecord,
      { userId },
      { status: 'active', deletionCancelled: { reason, cancelledAt: now.toISOString() }, updatedAt: now },
    );
  }
}
