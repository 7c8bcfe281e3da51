import { Client, type Notification } from 'pg';
import type { DataSource } from 'typeorm';
import { outboxChannel, quoteIdent } from '../migrations/sql-identifiers';
import { connectionConfigOf, destroySession, endSession } from '../postgres/pg-connection';

/**
 * The relay's own session, outside TypeORM's pool: it holds the per-schema advisory lock that
 * makes one replica the relay, and LISTENs for commits. Ending it releases the lock. A session
 * that failed to connect, errored, ended or timed out is discarded, never used again: a pg
 * client whose connect failed queues queries that never settle.
 */
export class RelayLeadership {
  private session?: Client;
  private lost = false;
  private leading = false;
  private checkedAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly onWake: () => void,
    /** How often a leader proves its session (and so its lock) still answers. */
    private readonly checkEveryMs = 2000,
  ) {}

  get isLeader(): boolean {
    return this.leading && !this.lost;
  }

  /** The session died: the lock is gone and another replica may already relay. */
  get isLost(): boolean {
    return this.lost;
  }

  /** True when this replica holds the lock; throws (with the session discarded) when PostgreSQL cannot be reached. */
  async acquire(): Promise<boolean> {
    if (this.lost) await this.release();
    try {
      if (this.isLeader) {
        if (Date.now() - this.checkedAt >= this.checkEveryMs) await this.check();
        return this.isLeader;
      }
      const session = this.session ?? (await this.connect());
      const result = await session.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `eventing-relay:${this.schema}`,
      ]);
      if (!result.rows[0].locked) return false;
      await session.query(`LISTEN ${quoteIdent(outboxChannel(this.schema))}`);
      this.leading = true;
      this.checkedAt = Date.now();
      return true;
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.leading = false;
    this.lost = false;
    if (session) await endSession(session);
  }

  private async connect(): Promise<Client> {
    const session = new Client(connectionConfigOf(this.dataSource));
    const die = () => {
      if (this.session !== session) return;
      this.lost = true;
      this.onWake();
    };
    session.on('error', die);
    session.on('end', die);
    session.on('notification', (message: Notification) => {
      if (message.channel === outboxChannel(this.schema)) this.onWake();
    });
    try {
      await session.connect();
    } catch (error) {
      destroySession(session);
      throw error;
    }
    this.session = session;
    return session;
  }

  private async check(): Promise<void> {
    await (this.session as Client).query('SELECT 1');
    this.checkedAt = Date.now();
  }
}
