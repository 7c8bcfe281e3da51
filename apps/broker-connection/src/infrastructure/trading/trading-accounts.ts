import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, EventStore } from '@tradecore/eventing';
import type { AlpacaSession } from '../adapters/alpaca-http';
import { CredentialsStore } from '../credentials-store';

/** A connected real-broker account that can trade: its connection and, inside this service only, its session. */
export interface TradingAccount {
  readonly accountId: string;
  readonly connectionId: string;
  readonly userId: string;
  readonly session: AlpacaSession;
}

interface ConnectionRow {
  readonly connection_id: string;
  readonly user_id: string;
  readonly linked_account_ids: string[];
}

/**
 * Finds the connection behind a broker account id (the id broker-account lists) and opens its
 * credentials; they never leave this service. Only connected Alpaca connections trade.
 */
@Injectable()
export class TradingAccounts {
  private readonly connections: string;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) store: EventStore,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
  ) {
    this.connections = `"${store.schema}".connections`;
  }

  async owned(accountId: string, userId: string): Promise<TradingAccount> {
    const [row] = await this.dataSource.query<ConnectionRow[]>(
      `SELECT connection_id, user_id, linked_account_ids FROM ${this.connections}
       WHERE broker = 'alpaca' AND status = 'CONNECTED' AND user_id = $2 AND linked_account_ids @> jsonb_build_array($1::text)`,
      [accountId, userId],
    );
    const account = row && (await this.open(row, accountId));
    if (!account)
      throw new DomainError(
        'ACCOUNT_NOT_FOUND',
        'no connected broker account with this id belongs to you; list yours with GET /api/broker-accounts',
      );
    return account;
  }

  /** Every account that should have a stream open now. */
  async connected(): Promise<TradingAccount[]> {
    const rows = await this.dataSource.query<ConnectionRow[]>(
      `SELECT connection_id, user_id, linked_account_ids FROM ${this.connections}
       WHERE broker = 'alpaca' AND status = 'CONNECTED'`,
    );
    const accounts = await Promise.all(rows.map((row) => this.open(row, row.linked_account_ids[0])));
    return accounts.filter((account): account is TradingAccount => account !== undefined);
  }

  private async open(row: ConnectionRow, accountId: string | undefined): Promise<TradingAccount | undefined> {
    const loaded = await this.credentials.loadWithConnection(this.dataSource.manager, row.connection_id);
    if (!accountId || loaded?.credentials.broker !== 'alpaca') return undefined;
    const { broker: _broker, ...credentials } = loaded.credentials;
    return {
      accountId,
      connectionId: row.connection_id,
      userId: row.user_id,
      session: { mode: loaded.mode, credentials },
    };
  }
}
