import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '@tradecore/eventing';
import { IsNull, type EntityManager } from 'typeorm';
import { RefreshTokenRecord } from '../../infrastructure/refresh-token.entity';
import { decideForUser } from '../../infrastructure/user-stream';
import { UserRecord } from '../../infrastructure/user-record.entity';

/**
 * Erasure: the user record keeps only its id, role and status; sessions are deleted. The
 * event history already holds nothing personal, so nothing there needs rewriting.
 */
@Injectable()
export class DeleteUserHandler {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute(userId: string, manager: EntityManager): Promise<void> {
    const now = new Date();
    await decideForUser(this.store, { type: 'DeleteUser', userId, at: now.toISOString() }, manager);
    await manager.update(
      UserRecord,
      { userId, erasedAt: IsNull() },
      {
        email: null,
        displayName: null,
        passwordHash: null,
        deletionCancelled: null,
        status: 'deleted',
        updatedAt: now,
        erasedAt: now,
      },
    );
    await manager.delete(RefreshTokenRecord, { userId });
  }
}
