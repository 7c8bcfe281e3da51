import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { brokerAccountIdOf, type Reason } from '@tradecore/contracts';
import { DomainError, EventStore } from '@tradecore/eventing';
import {
  assertTrades,
  type ConnectionStatus,
  TRADING_STATUSES,
} from '../../domain/broker-connection.decider';
import type { AlpacaSession } from '../adapters/alpaca-http';
import type { TradeStationSession } from '../adapters/tradestation-http';
import { TradeStationTradingAdapter } from '../adapters/tradestation-trading.adapter';
import { CredentialsStore } from '../credentials-store';
import { asHttpFailure } from './broker-failure';

interface AccountRef {
  readonly accountId: string;
  readonly connectionId: string;
  readonly userId: string;
}

/** A connected real-broker account that can trade: its connection and, inside this service only, its session. */
export type TradingAccount = AccountRef &
  (
    | { readonly broker: 'alpaca'; readonly session: AlpacaSession }
    | { readonly broker: 'tradestation'; readonly session: TradeStationSession }
  );

interface ConnectionRow {
  readonly connection_id: string;
  readonly user_id: string;
  readonly linked_account_ids: string[];
}

interface OwnedRow extends ConnectionRow {
  readonly broker: 'alpaca' | 'tradestation';
  readonly status: ConnectionStatus;
  readonly status_reason: Reason | null;
}

/**
 * Finds the connection behind a broker account id (the id broker-account lists) and opens its
 * credentials; they never leave this service. Connected and degraded Alpaca and TradeStation
 * connections trade (TRADING_STATUSES); any other refuses with a code naming its status, not as an
 * unknown account. Alpaca's one account per key, or each linked TradeStation account (its AccountID
 * found once by listing the connection's accounts, since the broker account id is derived from it).
 */
@Injectable()
export class TradingAccounts {
  private readonly logger = new Logger(TradingAccounts.name);
  private readonly connections: string;
  private readonly tradeStationIds = new Map<string, string>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) store: EventStore,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(TradeStationTradingAdapter) private readonly tradeStation: TradeStationTradingAdapter,
  ) {
    this.connections = `"${store.schema}".connections`;
  }

  async owned(accountId: string, userId: string): Promise<TradingAccount> {
    // Of two connections listing the account (one disconnecting, one new), the one that trades.
    const [row] = await this.dataSource.query<OwnedRow[]>(
      `SELECT connection_id, user_id, linked_account_ids, broker, status, status_reason FROM ${this.connections}
       WHERE broker IN ('alpaca', 'tradestation') AND user_id = $2
         AND linked_account_ids @> jsonb_build_array($1::text)
       ORDER BY status = ANY($3::text[]) DESC, requested_at DESC LIMIT 1`,
      [accountId, userId, TRADING_STATUSES],
    );
    if (row) assertTrades({ status: row.status, broker: row.broker, reason: row.status_reason ?? undefined });
    const [account] = row
      ? await this.open(row, [accountId]).catch((error: unknown) => {
          throw asHttpFailure(error);
        })
      : [];
    if (!account)
      throw new DomainError(
        'ACCOUNT_NOT_FOUND',
        'no connected broker account with this id belongs to you; list yours with GET /api/broker-accounts',
      );
    return account;
  }

  /** Every account that should have a stream open now; one whose broker cannot be asked now waits for the next scan. */
  async connected(): Promise<TradingAccount[]> {
    const rows = await this.dataSource.query<ConnectionRow[]>(
      `SELECT connection_id, user_id, linked_account_ids FROM ${this.connections}
       WHERE broker IN ('alpaca', 'tradestation') AND status = ANY($1::text[])`,
      [TRADING_STATUSES],
    );
    const accounts = await Promise.all(
      rows.map((row) =>
        this.open(row, row.linked_account_ids).catch((error: Error) => {
          this.logger.warn(`accounts of connection ${row.connection_id} not opened: ${error.message}`);
          return [];
        }),
      ),
    );
    return accounts.flat();
  }

  private async open(row: ConnectionRow, accountIds: readonly string[]): Promise<TradingAccount[]> {
    const loaded = await this.credentials.loadWithConnection(this.dataSource.manager, row.connection_id);
    if (!loaded) return [];
    const ref = { connectionId: row.connection_id, userId: row.user_id };
    if (loaded.credentials.broker === 'alpaca') {
      const { broker: _broker, ...credentials } = loaded.credentials;
      return accountIds.slice(0, 1).map((accountId) => ({
        ...ref,
        accountId,
        broker: 'alpaca' as const,
        session: { mode: loaded.mode, credentials },
      }));
    }
    if (loaded.credentials.broker !== 'tradestation') return [];
    const { broker: _broker, ...credentials } = loaded.credentials;
    const base = { mode: loaded.mode, connectionId: row.connection_id, credentials };
    if (accountIds.some((accountId) => !this.tradeStationIds.has(accountId)))
      for (const externalAccountId of await this.tradeStation.accountIds(base))
        this.tradeStationIds.set(brokerAccountIdOf(row.connection_id, externalAccountId), externalAccountId);
    return accountIds.flatMap((accountId) => {
      const externalAccountId = this.tradeStationIds.get(accountId);
      return externalAccountId
        ? [{ ...ref, accountId, broker: 'tradestation' as const, session: { ...base, externalAccountId } }]
        : [];
    });
  }
}
