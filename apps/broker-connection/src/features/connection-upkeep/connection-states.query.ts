import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Reason } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';

/** Connections not yet purged, per broker and status: `{ alpaca: { CONNECTED: 3, DEGRADED: 1 } }`. */
export type ConnectionCounts = Record<string, Record<string, number>>;

/** A connection an operator may want to look at: not healthy, with the reason its owner was given. */
export interface TroubledConnection {
  readonly connectionId: string;
  readonly broker: string;
  readonly mode: string;
  readonly status: string;
  readonly reason: Reason | null;
  readonly since: string;
}

interface TroubledRow {
  readonly connection_id: string;
  readonly broker: string;
  readonly mode: string;
  readonly status: string;
  readonly status_reason: Reason | null;
  readonly updated_at: Date;
}

export const TROUBLED_STATUSES = ['DEGRADED', 'OFFLINE', 'NEEDS_REAUTH'] as const;

/** What readiness, the gauge and the ops page show of connections: read from this service's own summary. */
@Injectable()
export class ConnectionStates {
  private readonly connections: string;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) store: EventStore,
  ) {
    this.connections = `"${store.schema}".connections`;
  }

  async counts(): Promise<ConnectionCounts> {
    const rows = await this.dataSource.query<{ broker: string; status: string; count: number }[]>(
      `SELECT broker, status, count(*)::int AS count FROM ${this.connections}
       WHERE status <> 'PURGED' GROUP BY broker, status ORDER BY broker, status`,
    );
    const counts: ConnectionCounts = {};
    for (const { broker, status, count } of rows) counts[broker] = { ...counts[broker], [status]: count };
    return counts;
  }

  /** The longest-troubled first, as many as `limit`. */
  async troubled(limit: number): Promise<TroubledConnection[]> {
    const rows = await this.dataSource.query<TroubledRow[]>(
      `SELECT connection_id, broker, mode, status, status_reason, updated_at FROM ${this.connections}
       WHERE status = ANY($1) ORDER BY updated_at LIMIT $2`,
      [TROUBLED_STATUSES, limit],
    );
    return rows.map((row) => ({
      connectionId: row.connection_id,
      broker: row.broker,
      mode: row.mode,
      status: row.status,
      reason: row.status_reason,
      since: row.updated_at.toISOString(),
    }));
  }
}
