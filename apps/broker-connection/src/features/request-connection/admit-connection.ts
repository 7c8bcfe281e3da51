import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { TradingMode } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import { admitConnection, HeldConnection } from '../../domain/connection-allowance';
import type { BrokerCredentials } from '../../infrastructure/adapters/broker-adapter';
import { CredentialsCipher } from '../../infrastructure/credentials-cipher';

/**
 * What makes two connections the same broker account. Alpaca: the API key id (a key pair reaches
 * exactly one account; a new secret for the same key is still that account). TradeStation: the
 * client id and refresh token (one user's grant); since each sign-in gets a new refresh token, the
 * broker's account ids of the login (NewConnection.brokerAccountIds) are compared as well. Both per
 * mode, since paper and live are different accounts. The paper broker has none: each virtual
 * connection opens new, separate paper accounts, so two are never duplicates and only the per-user
 * limit applies to them.
 */
export function accountKeyOf(credentials: BrokerCredentials, mode: TradingMode): string | null {
  switch (credentials.broker) {
    case 'alpaca':
      return `alpaca:${mode}:${credentials.apiKeyId}`;
    case 'tradestation':
      return `tradestation:${mode}:${credentials.clientId}:${credentials.refreshToken}`;
    case 'virtual':
      return null;
    default: {
      const unknown: never = credentials;
      return unknown;
    }
  }
}

export interface NewConnection {
  readonly connectionId: string;
  readonly userId: string;
  readonly mode: TradingMode;
  readonly credentials: BrokerCredentials;
  /** The broker's ids of the accounts the credentials reach, when known before admission (TradeStation). */
  readonly brokerAccountIds?: readonly string[];
}

/**
 * Runs in the transaction that records a new connection, after it is written: one user's
 * requests queue on an advisory lock, so two at once cannot both pass the limit or both create
 * the same connection; the loser's transaction rolls back with the refusal.
 */
@Injectable()
export class ConnectionAllowance {
  private readonly schema: string;

  constructor(
    @Inject(CredentialsCipher) private readonly cipher: CredentialsCipher,
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
    @Inject(EventStore) store: EventStore,
  ) {
    this.schema = store.schema;
  }

  async admit(manager: EntityManager, request: NewConnection): Promise<void> {
    const { connectionId, userId, credentials, mode } = request;
    const accountKey = accountKeyOf(credentials, mode);
    const fingerprints = accountKey ? this.cipher.fingerprints(accountKey) : [];
    // Each account under every key (rows fingerprinted before a key rotation still match); stored under the active one.
    const accountOf = new Map<string, string>();
    const stored: string[] = [];
    for (const id of request.brokerAccountIds ?? []) {
      const [active, ...older] = this.cipher.fingerprints(`${credentials.broker}:${mode}:account:${id}`);
      stored.push(active);
      for (const fingerprint of [active, ...older]) accountOf.set(fingerprint, id);
    }
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `${this.schema}:connections:${userId}`,
    ]);
    if (fingerprints.length > 0 || stored.length > 0)
      await manager.query(
        `UPDATE "${this.schema}".connection_credentials SET fingerprint = $2, account_fingerprints = $3
         WHERE connection_id = $1`,
        [connectionId, fingerprints[0] ?? null, stored.length > 0 ? stored : null],
      );
    const rows = await manager.query<(Omit<HeldConnection, 'sharedAccountIds'> & { shared: string[] })[]>(
      `SELECT c.connection_id AS "connectionId", c.status, coalesce(s.fingerprint = ANY($3), false) AS "sameAccount",
         ARRAY(SELECT unnest(s.account_fingerprints) INTERSECT SELECT unnest($4::text[])) AS shared
       FROM "${this.schema}".connections c LEFT JOIN "${this.schema}".connection_credentials s USING (connection_id)
       WHERE c.user_id = $1 AND c.connection_id <> $2 AND c.status <> 'PURGED'
       ORDER BY c.requested_at`,
      [userId, connectionId, fingerprints, [...accountOf.keys()]],
    );
    const held = rows.map(({ shared, ...connection }) => ({
      ...connection,
      sharedAccountIds: [...new Set(shared.map((fingerprint) => accountOf.get(fingerprint) as string))],
    }));
    admitConnection(held, this.config.get('BROKER_CONNECTIONS_PER_USER', { infer: true }));
  }
}
