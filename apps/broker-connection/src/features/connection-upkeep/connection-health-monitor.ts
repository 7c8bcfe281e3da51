import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import {
  brokerAccountIdOf,
  type DiscoveredAccount,
  type Reason,
  type TradingMode,
} from '@tradecore/contracts';
import { DomainError, EventStore } from '@tradecore/eventing';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import { UPKEPT_STATUSES } from '../../domain/connection-upkeep.decisions';
import { BrokerAdapterError } from '../../infrastructure/adapters/broker-adapter';
import { BrokerAdapters } from '../../infrastructure/adapters/broker-adapters';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { reauthReason } from '../../infrastructure/upkeep/access-tokens';
import { reportedBalances } from '../refresh-balances/reported-balances';

interface DueCheck {
  readonly connection_id: string;
  readonly broker: string;
  readonly mode: TradingMode;
  readonly consecutive_failures: number;
  /** broker-account's key for the owner is known, so the accounts opened at the broker reach it readable. */
  readonly sealable: boolean;
}

const BATCH = 20;

/**
 * Checks every established outside-broker connection about once per HEALTH_CHECK_INTERVAL_MS
 * (± jitter, so checks do not bunch up on the broker), each through its broker's circuit breaker.
 * A check is claimed by moving its row's due time, under SKIP LOCKED, so across replicas each
 * connection is checked once per interval. Failures in a row take it DEGRADED, then OFFLINE; the
 * first passing check brings it back; a refused sign-in makes it NEEDS_REAUTH. A passing check also
 * reports what it fetched: accounts opened or closed at the broker, and the balances (ReportBalances,
 * as the manual refresh), so the interval is also how often every real account refreshes.
 */
@Injectable()
export class ConnectionHealthMonitor {
  private readonly logger = new Logger(ConnectionHealthMonitor.name);
  private readonly upkeep: string;
  private readonly connections: string;
  private readonly recipientKeys: string;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(BrokerAdapters) private readonly adapters: BrokerAdapters,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
    @Inject(EventStore) store: EventStore,
  ) {
    this.upkeep = `"${store.schema}".connection_upkeep`;
    this.connections = `"${store.schema}".connections`;
    this.recipientKeys = `"${store.schema}".recipient_keys`;
  }

  /** One pass: the checks that are due, claimed by this replica, run side by side. */
  async checkDue(): Promise<number> {
    const intervalMs = this.config.get('HEALTH_CHECK_INTERVAL_MS', { infer: true });
    const jitter = this.config.get('HEALTH_CHECK_JITTER', { infer: true });
    const nextDue = `now() + $1 * (1 + $2 * (random() * 2 - 1)) * interval '1 millisecond'`;
    await this.dataSource.query(
      `INSERT INTO ${this.upkeep} (connection_id, check_due_at)
       SELECT connection_id, ${nextDue} FROM ${this.connections} WHERE status = ANY($3) AND broker <> 'virtual'
       ON CONFLICT (connection_id) DO UPDATE SET check_due_at = EXCLUDED.check_due_at
       WHERE ${this.upkeep}.check_due_at IS NULL`,
      [intervalMs, jitter, UPKEPT_STATUSES],
    );
    // TypeORM answers an UPDATE ... RETURNING with [rows, affected].
    const [due] = await this.dataSource.query<[DueCheck[], number]>(
      `UPDATE ${this.upkeep} u SET check_due_at = ${nextDue}
       FROM ${this.connections} c
       WHERE c.connection_id = u.connection_id AND u.connection_id IN (
         SELECT x.connection_id FROM ${this.upkeep} x JOIN ${this.connections} y USING (connection_id)
         WHERE x.check_due_at <= now() AND y.status = ANY($3) AND y.broker <> 'virtual'
         ORDER BY x.check_due_at LIMIT ${BATCH} FOR UPDATE OF x SKIP LOCKED)
       RETURNING u.connection_id, c.broker, c.mode, u.consecutive_failures, EXISTS (SELECT 1 FROM ${this.recipientKeys} r
         WHERE r.subject_id = c.user_id::text AND r.recipient = 'broker-account') AS sealable`,
      [intervalMs, jitter, UPKEPT_STATUSES],
    );
    const results = await Promise.allSettled(due.map((check) => this.check(check)));
    results.forEach((result, index) => {
      if (result.status === 'rejected')
        this.logger.warn(
          `Health check of connection ${due[index].connection_id} not recorded: ${(result.reason as Error).message}`,
        );
    });
    return due.length;
  }

  private async check({
    connection_id: connectionId,
    broker,
    mode,
    consecutive_failures,
    sealable,
  }: DueCheck) {
    const credentials = await this.credentials.load(this.dataSource.manager, connectionId);
    if (!credentials) return;
    let failures = 0;
    let reason: Reason | undefined;
    let listed: DiscoveredAccount[] = [];
    try {
      listed = await this.adapters.discoverAccounts(connectionId, mode, credentials);
    } catch (error) {
      if (!(error instanceof BrokerAdapterError)) throw error;
      if (error.code === 'INVALID_CREDENTIALS') return this.refused(connectionId, broker, mode);
      failures = consecutive_failures + 1;
      reason = { code: error.code, message: error.message };
    }
    await this.dataSource.query(
      `UPDATE ${this.upkeep} SET consecutive_failures = $2 WHERE connection_id = $1`,
      [connectionId, failures],
    );
    await this.stream.execute(connectionId, {
      type: 'RecordHealthCheck',
      consecutiveFailures: failures,
      ...(reason && { reason }),
      limits: {
        degradedAfter: this.config.get('HEALTH_DEGRADED_AFTER', { infer: true }),
        offlineAfter: this.config.get('HEALTH_OFFLINE_AFTER', { infer: true }),
      },
      at: new Date().toISOString(),
    });
    if (listed.length > 0) await this.report(connectionId, listed, sealable);
  }

  /**
   * What the check just fetched, with no second broker call: accounts opened or closed at the
   * broker, then the balances, published as a manual refresh would.
   */
  private async report(connectionId: string, listed: DiscoveredAccount[], sealable: boolean): Promise<void> {
    const at = new Date().toISOString();
    const accounts = listed.map((account) => ({
      ...account,
      accountId: brokerAccountIdOf(connectionId, account.externalAccountId),
    }));
    try {
      // Without its key broker-account could not link what opened (a connection from before the
      // keys: reconnecting sets them up), and the connection would list accounts it never linked.
      if (sealable) await this.stream.execute(connectionId, { type: 'RecordListedAccounts', accounts, at });
      const balances = reportedBalances(listed);
      if (balances.length > 0)
        await this.stream.execute(connectionId, { type: 'ReportBalances', balances, at });
    } catch (error) {
      // Disconnected since the check was claimed: nothing to report any more.
      if (!(error instanceof DomainError)) throw error;
    }
  }

  private async refused(connectionId: string, broker: string, mode: TradingMode): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.upkeep} SET consecutive_failures = 0 WHERE connection_id = $1`,
      [connectionId],
    );
    const reason =
      broker === 'tradestation'
        ? reauthReason(mode, connectionId)
        : {
            code: 'BROKER_CREDENTIALS_REFUSED',
            message: `${broker} refused this connection’s API keys; disconnect it and connect again with new keys`,
          };
    await this.stream.execute(connectionId, {
      type: 'MarkNeedsReauth',
      reason,
      at: new Date().toISOString(),
    });
  }
}
