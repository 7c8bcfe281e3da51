import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '@tradecore/eventing';

export interface StreamLease {
  readonly owner: string;
  readonly leaseUntil: Date;
}

/**
 * Row leases on `stream_leases`, so that of all replicas exactly one streams an account. A replica
 * renews what it holds on every scan; a lease left to expire (its replica died or lost the
 * database) is taken by the next replica that asks; one let go on shutdown is free at once.
 */
@Injectable()
export class StreamLeases {
  /** This replica, as the leases name it. */
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly leases: string;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) store: EventStore,
  ) {
    this.leases = `"${store.schema}".stream_leases`;
  }

  /** Takes or renews the lease of each account no other replica holds; answers those this replica holds now. */
  async claim(accountIds: readonly string[], ttlMs: number): Promise<Set<string>> {
    if (accountIds.length === 0) return new Set();
    const rows = await this.dataSource.query<{ account_id: string }[]>(
      `INSERT INTO ${this.leases} (account_id, owner, lease_until)
       SELECT id, $2, now() + $3 * interval '1 millisecond' FROM unnest($1::uuid[]) id
       ON CONFLICT (account_id) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
       WHERE ${this.leases}.owner = EXCLUDED.owner OR ${this.leases}.lease_until < now()
       RETURNING account_id`,
      [accountIds, this.owner, ttlMs],
    );
    return new Set(rows.map((row) => row.account_id));
  }

  /** Lets go of leases this replica holds (a closed stream, or shutting down) so another can take them at once. */
  async release(accountIds: readonly string[]): Promise<void> {
    if (accountIds.length === 0) return;
    await this.dataSource.query(
      `DELETE FROM ${this.leases} WHERE owner = $1 AND account_id = ANY($2::uuid[])`,
      [this.owner, accountIds],
    );
  }

  /** Who streams each of these accounts, if anyone does. */
  async holders(accountIds: readonly string[]): Promise<Map<string, StreamLease>> {
    const rows = await this.dataSource.query<{ account_id: string; owner: string; lease_until: Date }[]>(
      `SELECT account_id, owner, lease_until FROM ${this.leases} WHERE account_id = ANY($1::uuid[]) AND lease_until > now()`,
      [accountIds],
    );
    return new Map(rows.map((row) => [row.account_id, { owner: row.owner, leaseUntil: row.lease_until }]));
  }
}
