import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TradingMode } from '@tradecore/contracts';
import { EventStore, prepared, queryPrepared } from '@tradecore/eventing';
import type { ConnectionStatus } from '../domain/broker-connection.decider';
import type { BrokerCredentials } from './adapters/broker-adapter';
import { CredentialsCipher, SealedCredentials } from './credentials-cipher';

export interface ConnectionWithCredentials {
  readonly userId: string;
  readonly status: ConnectionStatus;
  readonly mode: TradingMode;
  readonly credentials: BrokerCredentials;
}

export type SealedRow = { key_id: string; iv: Buffer; auth_tag: Buffer; ciphertext: Buffer };

export const sealedOfRow = (row: SealedRow): SealedCredentials => ({
  keyId: row.key_id,
  iv: row.iv,
  authTag: row.auth_tag,
  ciphertext: row.ciphertext,
});
type ConnectionRow = SealedRow & { user_id: string; status: ConnectionStatus; mode: TradingMode };

@Injectable()
export class CredentialsStore {
  private readonly statements;

  constructor(
    @Inject(CredentialsCipher) private readonly cipher: CredentialsCipher,
    @Inject(EventStore) store: EventStore,
  ) {
    const credentials = `"${store.schema}".connection_credentials`;
    this.statements = {
      save: prepared(
        'credentials',
        `INSERT INTO ${credentials} (connection_id, key_id, iv, auth_tag, ciphertext) VALUES ($1, $2, $3, $4, $5)`,
      ),
      withConnection: prepared(
        'credentials',
        `SELECT c.user_id, c.status, c.mode, s.key_id, s.iv, s.auth_tag, s.ciphertext
         FROM ${credentials} s JOIN "${store.schema}".connections c USING (connection_id) WHERE connection_id = $1`,
      ),
      replace: prepared(
        'credentials',
        `UPDATE ${credentials} SET key_id = $2, iv = $3, auth_tag = $4, ciphertext = $5, sealed_at = now() WHERE connection_id = $1`,
      ),
      erase: prepared('credentials', `DELETE FROM ${credentials} WHERE connection_id = $1`),
      eraseAccessToken: prepared(
        'credentials',
        `DELETE FROM "${store.schema}".connection_upkeep WHERE connection_id = $1`,
      ),
    };
  }

  async save(manager: EntityManager, connectionId: string, credentials: BrokerCredentials): Promise<void> {
    const { keyId, iv, authTag, ciphertext } = this.cipher.seal(connectionId, credentials);
    await queryPrepared(manager, this.statements.save, [connectionId, keyId, iv, authTag, ciphertext]);
  }

  /** A new sign-in or a rotated refresh token: sealed again, with the active key. */
  async replace(manager: EntityManager, connectionId: string, credentials: BrokerCredentials): Promise<void> {
    const { keyId, iv, authTag, ciphertext } = this.cipher.seal(connectionId, credentials);
    await queryPrepared(manager, this.statements.replace, [connectionId, keyId, iv, authTag, ciphertext]);
  }

  async load(manager: EntityManager, connectionId: string): Promise<BrokerCredentials | undefined> {
    return (await this.loadWithConnection(manager, connectionId))?.credentials;
  }

  /** The connection's status and mode read with its credentials, so verifying one costs one statement. */
  async loadWithConnection(
    manager: EntityManager,
    connectionId: string,
  ): Promise<ConnectionWithCredentials | undefined> {
    const [row] = await queryPrepared<ConnectionRow>(manager, this.statements.withConnection, [connectionId]);
    if (!row) return undefined;
    return {
      userId: row.user_id,
      status: row.status,
      mode: row.mode,
      credentials: this.cipher.open<BrokerCredentials>(connectionId, sealedOfRow(row)),
    };
  }

  async erase(manager: EntityManager, connectionId: string): Promise<void> {
    await queryPrepared(manager, this.statements.erase, [connectionId]);
    await queryPrepared(manager, this.statements.eraseAccessToken, [connectionId]);
  }
}
