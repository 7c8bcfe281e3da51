import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TradingMode } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { CredentialsCipher } from '../credentials-cipher';
import { SealedRow, sealedOfRow } from '../credentials-store';
import { codeChallengeOf, newCodeVerifier, newOAuthState, stateHashOf } from './pkce';

export interface OAuthStart {
  readonly userId: string;
  readonly broker: string;
  readonly mode: TradingMode;
  /** Set when an existing connection is signed in again. */
  readonly connectionId?: string;
}

export interface PendingSignIn extends OAuthStart {
  readonly codeVerifier: string;
}

export interface OpenedSignIn {
  readonly state: string;
  readonly codeChallenge: string;
  readonly expiresAt: Date;
}

type StateRow = SealedRow & {
  user_id: string;
  broker: string;
  mode: TradingMode;
  connection_id: string | null;
};

/**
 * Sign-ins under way, in the service's schema: the state is stored as a hash, the PKCE verifier
 * sealed with the state hash as associated data. Taking one deletes it, so a state works once,
 * and only before it expires.
 */
@Injectable()
export class OAuthStates {
  private readonly table: string;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CredentialsCipher) private readonly cipher: CredentialsCipher,
    @Inject(EventStore) store: EventStore,
  ) {
    this.table = `"${store.schema}".oauth_states`;
  }

  async open(start: OAuthStart, ttlMs: number): Promise<OpenedSignIn> {
    const state = newOAuthState();
    const codeVerifier = newCodeVerifier();
    const hash = stateHashOf(state);
    const sealed = this.cipher.seal(`oauth-state:${hash}`, codeVerifier);
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE expires_at < now()`);
    const [{ expires_at: expiresAt }] = await this.dataSource.query<{ expires_at: Date }[]>(
      `INSERT INTO ${this.table} (state_hash, user_id, broker, mode, connection_id, key_id, iv, auth_tag, ciphertext, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + $10 * interval '1 millisecond') RETURNING expires_at`,
      [
        hash,
        start.userId,
        start.broker,
        start.mode,
        start.connectionId ?? null,
        sealed.keyId,
        sealed.iv,
        sealed.authTag,
        sealed.ciphertext,
        ttlMs,
      ],
    );
    return { state, codeChallenge: codeChallengeOf(codeVerifier), expiresAt };
  }

  /** The sign-in the state started, or undefined when it is unknown, already used or expired. */
  async take(state: string): Promise<PendingSignIn | undefined> {
    const hash = stateHashOf(state);
    // TypeORM answers a DELETE ... RETURNING with [rows, affected].
    const [[row]] = await this.dataSource.query<[(StateRow & { live: boolean })[], number]>(
      `DELETE FROM ${this.table} WHERE state_hash = $1
       RETURNING user_id, broker, mode, connection_id, key_id, iv, auth_tag, ciphertext, expires_at > now() AS live`,
      [hash],
    );
    if (!row?.live) return undefined;
    return {
      userId: row.user_id,
      broker: row.broker,
      mode: row.mode,
      ...(row.connection_id && { connectionId: row.connection_id }),
      codeVerifier: this.cipher.open<string>(`oauth-state:${hash}`, sealedOfRow(row)),
    };
  }
}
