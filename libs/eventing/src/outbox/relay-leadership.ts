import { Client, Notification } from 'pg';
import type { DataSource } from 'typeorm';
import { outboxChannel, quoteIdent } from '../migrations/sql-identifiers';
import { connectionConfigOf } from '../postgres/pg-connection';

/**
 * The relay's own session, outside TypeORM's pool: it holds the per-schema advisory lock that
 * makes one replica the relay, and LISTENs for commits. Ending it releases the lock.
 */
export class RelayLeadership {
  private session?: Client;
  private lost = false;
  private leading = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly onWake: () => void,
  ) {}

  get isLeader(): boolean {
    return this.leading && !this.lost;
  }

  /** The session died: the lock is gone and another replica may already relay. */
  get isLost(): boolean {
    return this.lost;
  }

  async acquire(): Promise<boolean> {
    if (this.isLeader) return true;
    if (this.lost) await this.release();
    if (!this.session) {
      const session = new Client(connectionConfigOf(this.dataSource));
      session.on('error', () => {
        this.lost = true;
        this.onWake();
      });
      session.on('notification', (message: Notification) => {
        if (message.channel === outboxChannel(this.schema)) this.onWake();
      });
      this.session = session;
      await session.connect();
    }
    const result = await this.session.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      `eventing-relay:${this.schema}`,
    ]);
    if (!result.rows[0].locked) return false;
    await this.session.query(`LISTEN ${quoteIdent(outboxChannel(this.schema))}`);
    this.leading = true;
    return true;
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.leading = false;
    this.lost = false;
    await session?.end().catch(() => undefined);
  }
}
