import type { DataSource } from 'typeorm';
import { LoopHeartbeat } from '../health/loop-heartbeats';
import { outboxChannel } from '../migrations/sql-identifiers';
import { poolOf } from '../postgres/pg-connection';
import { wakeLocalRelay } from './local-relays';

/** Long enough to fold a burst of commits into one NOTIFY, short against the latency a consumer sees. */
const COALESCE_MS = 2;

/**
 * Wakes the relay after commits. A NOTIFY inside every append would serialise all committing
 * writers on PostgreSQL's notify lock; one NOTIFY sent after the commit, folding in the commits
 * that land while another is in flight or within a couple of milliseconds of it, wakes the relay just as
 * fast at a fraction of the cost. Every commit is still followed by a NOTIFY that starts after it,
 * unless the leading relay runs in this process: then a function call wakes it, no NOTIFY at all.
 */
export class OutboxNotifier {
  private inFlight = false;
  private again = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly heartbeat = new LoopHeartbeat('outbox-notifier'),
  ) {}

  afterCommit(): void {
    if (wakeLocalRelay(this.dataSource, this.schema)) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    void this.send();
  }

  private async send(): Promise<void> {
    const done = this.heartbeat.begin();
    do {
      this.again = false;
      // A lost wake-up only delays publishing until the relay's next poll, so it is not the writer's failure.
      await poolOf(this.dataSource)
        .query(`SELECT pg_notify($1, '')`, [outboxChannel(this.schema)])
        .catch(() => undefined);
      if (this.again) await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
    } while (this.again && this.dataSource.isInitialized);
    this.inFlight = false;
    done();
  }
}
