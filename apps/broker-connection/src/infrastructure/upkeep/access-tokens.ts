import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Reason } from '@tradecore/contracts';
import { DomainError, EventStore } from '@tradecore/eventing';
import { UPKEPT_STATUSES } from '../../domain/connection-upkeep.decisions';
import type { ConnectionStatus } from '../../domain/broker-connection.decider';
import { BrokerAdapterError, TradeStationCredentials } from '../adapters/broker-adapter';
import type { AccessTokenSource } from '../adapters/tradestation.adapter';
import { TokenGrant, TradeStationTokenEndpoint } from '../adapters/tradestation-token-endpoint';
import { ConnectionStream } from '../connection-stream';
import { CredentialsCipher } from '../credentials-cipher';
import { CredentialsStore, SealedRow, sealedOfRow } from '../credentials-store';

interface StoredToken {
  readonly token: string;
  readonly expiresAt: number;
}

/** Longer than a refresh can take (timeouts and retries included); a replica that died frees it then. */
const LEASE_MS = 30_000;
/** A token this close to its expiry could die on the way to the broker. */
const EXPIRY_SLACK_MS = 1000;
const WAIT_FOR_OTHER_REPLICA_MS = 15_000;

export const reauthReason = (mode: string, connectionId: string): Reason => ({
  code: 'BROKER_AUTHORIZATION_REVOKED',
  message:
    'TradeStation no longer accepts this connection’s sign-in (its refresh token was revoked or expired). ' +
    `Sign in again: POST /api/broker-connections/oauth/tradestation/start with {"mode":"${mode}","connectionId":"${connectionId}"}`,
});

/**
 * Each TradeStation connection's access token, sealed in `connection_upkeep` and refreshed under
 * a lease on its row, so however many replicas (and callers) need a token, one refreshes it and
 * the others wait for the result. A refresh token the broker rotates is stored in the same
 * transaction as the access token; one it refuses marks the connection NEEDS_REAUTH.
 */
@Injectable()
export class AccessTokens implements AccessTokenSource {
  private readonly logger = new Logger(AccessTokens.name);
  private readonly upkeep: string;
  private readonly connections: string;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CredentialsCipher) private readonly cipher: CredentialsCipher,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(TradeStationTokenEndpoint) private readonly endpoint: TradeStationTokenEndpoint,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(EventStore) store: EventStore,
  ) {
    this.upkeep = `"${store.schema}".connection_upkeep`;
    this.connections = `"${store.schema}".connections`;
  }

  async accessTokenFor(
    connectionId: string,
    _given: TradeStationCredentials,
    rejected?: string,
  ): Promise<string> {
    const stale = (current?: StoredToken) =>
      !current || current.token === rejected || current.expiresAt <= Date.now() + EXPIRY_SLACK_MS;
    const deadline = Date.now() + WAIT_FOR_OTHER_REPLICA_MS;
    for (;;) {
      const current = await this.current(connectionId);
      if (!stale(current)) return (current as StoredToken).token;
      const leased = await this.refreshUnderLease(connectionId, stale);
      if (leased) return leased.token;
      if (Date.now() > deadline)
        throw new BrokerAdapterError(
          'BROKER_TIMEOUT',
          'tradestation token refresh by another replica did not finish',
        );
      await delay(100);
    }
  }

  /** The scheduler's pass: every token expiring within `leadMs`, refreshed once across replicas. */
  async refreshExpiring(leadMs: number): Promise<number> {
    const due = await this.dataSource.query<{ connection_id: string }[]>(
      `SELECT u.connection_id FROM ${this.upkeep} u JOIN ${this.connections} c USING (connection_id)
       WHERE c.broker = 'tradestation' AND c.status = ANY($2) AND u.ciphertext IS NOT NULL
         AND u.access_expires_at < now() + $1 * interval '1 millisecond'
         AND (u.refresh_lease_until IS NULL OR u.refresh_lease_until < now())
       ORDER BY u.access_expires_at LIMIT 50`,
      [leadMs, UPKEPT_STATUSES],
    );
    let refreshed = 0;
    for (const { connection_id: connectionId } of due) {
      const expiring = (current?: StoredToken) => !current || current.expiresAt < Date.now() + leadMs;
      try {
        if ((await this.refreshUnderLease(connectionId, expiring))?.refreshed) refreshed += 1;
      } catch (error) {
        this.logger.warn(
          `Access token of connection ${connectionId} not refreshed: ${(error as Error).message}`,
        );
      }
    }
    return refreshed;
  }

  /** Stores a grant: the access token sealed, bound to its connection, and when it expires. */
  async save(manager: EntityManager, connectionId: string, grant: TokenGrant): Promise<void> {
    const sealed = this.cipher.seal(`${connectionId}:access-token`, grant.accessToken);
    await manager.query(
      `INSERT INTO ${this.upkeep} (connection_id, key_id, iv, auth_tag, ciphertext, access_expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 second')
       ON CONFLICT (connection_id) DO UPDATE SET key_id = $2, iv = $3, auth_tag = $4, ciphertext = $5,
         access_expires_at = EXCLUDED.access_expires_at`,
      [connectionId, sealed.keyId, sealed.iv, sealed.authTag, sealed.ciphertext, grant.expiresInSeconds],
    );
  }

  /** The token, or undefined when another replica holds the lease (the caller waits for it). */
  private async refreshUnderLease(
    connectionId: string,
    stale: (current?: StoredToken) => boolean,
  ): Promise<{ token: string; refreshed: boolean } | undefined> {
    const claimed = await this.dataSource.query<unknown[]>(
      `INSERT INTO ${this.upkeep} (connection_id, refresh_lease_until)
       VALUES ($1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (connection_id) DO UPDATE SET refresh_lease_until = EXCLUDED.refresh_lease_until
       WHERE ${this.upkeep}.refresh_lease_until IS NULL OR ${this.upkeep}.refresh_lease_until < now()
       RETURNING connection_id`,
      [connectionId, LEASE_MS],
    );
    if (claimed.length === 0) return undefined;
    try {
      const current = await this.current(connectionId);
      if (!stale(current)) return { token: (current as StoredToken).token, refreshed: false };
      return { token: await this.refresh(connectionId), refreshed: true };
    } finally {
      await this.dataSource.query(
        `UPDATE ${this.upkeep} SET refresh_lease_until = NULL WHERE connection_id = $1`,
        [connectionId],
      );
    }
  }

  private async refresh(connectionId: string): Promise<string> {
    const loaded = await this.credentials.loadWithConnection(this.dataSource.manager, connectionId);
    if (!loaded || loaded.credentials.broker !== 'tradestation')
      throw new DomainError('CONNECTION_NOT_FOUND', 'No such TradeStation connection');
    const credentials = loaded.credentials;
    let grant: TokenGrant;
    try {
      grant = await this.endpoint.refresh(credentials);
    } catch (error) {
      if (error instanceof BrokerAdapterError && error.code === 'INVALID_CREDENTIALS')
        await this.refused(connectionId, loaded.status, loaded.mode);
      throw error;
    }
    await this.dataSource.transaction(async (manager) => {
      if (grant.refreshToken)
        await this.credentials.replace(manager, connectionId, {
          ...credentials,
          refreshToken: grant.refreshToken,
        });
      await this.save(manager, connectionId, grant);
    });
    return grant.accessToken;
  }

  /** While it is being connected the saga fails it; once established it waits for a new sign-in. */
  private async refused(connectionId: string, status: ConnectionStatus, mode: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.upkeep} SET key_id = NULL, iv = NULL, auth_tag = NULL, ciphertext = NULL WHERE connection_id = $1`,
      [connectionId],
    );
    if (!UPKEPT_STATUSES.includes(status)) return;
    await this.stream.execute(connectionId, {
      type: 'MarkNeedsReauth',
      reason: reauthReason(mode, connectionId),
      at: new Date().toISOString(),
    });
  }

  private async current(connectionId: string): Promise<StoredToken | undefined> {
    const [row] = await this.dataSource.query<(SealedRow & { expires_at: Date })[]>(
      `SELECT key_id, iv, auth_tag, ciphertext, access_expires_at AS expires_at FROM ${this.upkeep}
       WHERE connection_id = $1 AND ciphertext IS NOT NULL`,
      [connectionId],
    );
    if (!row) return undefined;
    const token = this.cipher.open<string>(`${connectionId}:access-token`, sealedOfRow(row));
    return { token, expiresAt: row.expires_at.getTime() };
  }
}
