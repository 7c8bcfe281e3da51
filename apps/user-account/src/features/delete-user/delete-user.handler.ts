import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { RefreshTokenRecord } from '../../infrastructure/refresh-token.entity';
import { UserStream } from '../../infrastructure/user-stream';
import { UserRecord } from '../../infrastructure/user-record.entity';

/**
 * Erasure: the user record keeps only its id, role and status; sessions are deleted. The
 * event history already holds nothing personal, so nothing there needs rewriting.
 */
@Injectable()
export class DeleteUserHandler {
  constructor(@Inject(UserStream) private readonly users: UserStream) {}

  async execute(userId: string, manager: EntityManager): Promise<void> {
    const now = new Date();
    await this.users.execute(userId, { type: 'DeleteUser', userId, at: now.toISOString() }, { tx: manager });
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
