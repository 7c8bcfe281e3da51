import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { EventStore } from '@tradecore/eventing';
import type { EntityManager } from 'typeorm';

/**
 * Which users are being deleted, so no connection is opened for them after their deletion
 * saga listed the ones to close. A per-user advisory lock orders the two: a request either
 * commits before the close (and is listed by it) or waits for it (and is refused).
 */
@Injectable()
export class UserClosures {
  private readonly closed: string;
  private readonly connections: string;

  constructor(@Inject(EventStore) private readonly store: EventStore) {
    this.closed = `"${store.schema}".closed_users`;
    this.connections = `"${store.schema}".connections`;
  }

  /** Call inside the transaction that creates or revives a connection. */
  async assertOpen(manager: EntityManager, userId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [
      this.lockKey(userId),
    ]);
    const rows: unknown[] = await manager.query(`SELECT 1 FROM ${this.closed} WHERE user_id = $1`, [userId]);
    if (rows.length > 0)
      throw new ForbiddenException({
        code: 'ACCOUNT_DELETION_PENDING',
        message: 'This account is being deleted; it can no longer connect brokers',
      });
  }

  /** Closes the user to new connections and lists every connection they own that is not purged yet. */
  async close(manager: EntityManager, userId: string): Promise<string[]> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [this.lockKey(userId)]);
    await manager.query(
      `INSERT INTO ${this.closed} (user_id, closed_at) VALUES ($1, now()) ON CONFLICT (user_id) DO NOTHING`,
      [userId],
    );
    const rows: { connection_id: string }[] = await manager.query(
      `SELECT connection_id FROM ${this.connections}
        WHERE user_id = $1 AND status <> 'PURGED' ORDER BY requested_at, connection_id`,
      [userId],
    );
    return rows.map((row) => row.connection_id);
  }

  async reopen(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM ${this.closed} WHERE user_id = $1`, [userId]);
  }

  private lockKey(userId: string): string {
    return `${this.store.schema}.closed_users:${userId}`;
  }
}
