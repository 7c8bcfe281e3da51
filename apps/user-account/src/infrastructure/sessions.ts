import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthenticatedUser, signAccessToken } from '@tradecore/auth';
import { IsNull, MoreThan, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { SessionEndReason } from '../domain/user.decider';
import type { UserAccountEnv } from '../user-account.env';
import { RefreshTokenRecord } from './refresh-token.entity';
import { SIGNING_KEY, SigningKey } from './signing-key';
import { UserStream } from './user-stream';

export interface TokenPair {
  readonly tokenType: 'Bearer';
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly refreshToken: string;
  readonly refreshExpiresIn: number;
}

// The id must be a well-formed UUID before it reaches PostgreSQL, which refuses anything else with an error.
const TOKEN_FORMAT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function invalidRefreshToken(code = 'INVALID_REFRESH_TOKEN'): UnauthorizedException {
  return new UnauthorizedException({
    code,
    message:
      code === 'REFRESH_TOKEN_REUSED'
        ? 'This refresh token was already used; every session of this login is now revoked, log in again'
        : 'The refresh token is invalid, expired or revoked; log in again',
  });
}

/** Records UserSessionEnded in the caller's transaction, with the revocation of the family. */
export async function endSession(
  users: UserStream,
  manager: EntityManager,
  token: Pick<RefreshTokenRecord, 'userId' | 'familyId'>,
  reason: SessionEndReason,
): Promise<void> {
  await users.execute(
    token.userId,
    {
      type: 'EndSession',
      userId: token.userId,
      sessionId: token.familyId,
      reason,
      at: new Date().toISOString(),
    },
    { tx: manager },
  );
}

/**
 * Access tokens are short-lived JWTs; refresh tokens are opaque `<id>.<secret>` strings,
 * rotated on every use within one family per login. The family id is the access tokens' `sid`,
 * so ending a login (UserSessionEnded) lets every service refuse its access tokens too.
 */
@Injectable()
export class Sessions {
  constructor(
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
    @Inject(ConfigService) private readonly config: ConfigService<UserAccountEnv, true>,
  ) {}

  async open(
    manager: EntityManager,
    user: AuthenticatedUser,
    familyId: string = uuidv7(),
  ): Promise<TokenPair> {
    const accessTtl = this.config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true });
    const refreshTtl = this.config.get('REFRESH_TOKEN_TTL_SECONDS', { infer: true });
    const tokenId = uuidv7();
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    await manager.insert(RefreshTokenRecord, {
      tokenId,
      familyId,
      userId: user.userId,
      secretHash: hashOf(secret),
      createdAt: now,
      expiresAt: new Date(now.getTime() + refreshTtl * 1000),
    });
    return {
      tokenType: 'Bearer',
      accessToken: signAccessToken(this.key.privateKeyPem, user, {
        expiresInSeconds: accessTtl,
        tokenId: uuidv7(),
        keyId: this.key.keyId,
        sessionId: familyId,
      }),
      expiresIn: accessTtl,
      refreshToken: `${tokenId}.${secret}`,
      refreshExpiresIn: refreshTtl,
    };
  }

  /** The stored token the string names, locked for the caller's transaction; undefined when it does not match. */
  async find(manager: EntityManager, presented: string): Promise<RefreshTokenRecord | undefined> {
    const match = TOKEN_FORMAT.exec(presented);
    if (!match) return undefined;
    const record = await manager.findOne(RefreshTokenRecord, {
      where: { tokenId: match[1] },
      lock: { mode: 'pessimistic_write' },
    });
    if (!record) return undefined;
    const expected = Buffer.from(record.secretHash, 'hex');
    const actual = Buffer.from(hashOf(match[2]), 'hex');
    return timingSafeEqual(expected, actual) ? record : undefined;
  }

  async markRotated(manager: EntityManager, tokenId: string): Promise<void> {
    await manager.update(RefreshTokenRecord, { tokenId }, { rotatedAt: new Date() });
  }

  async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await manager.update(RefreshTokenRecord, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** The logins of the user that a refresh token can still extend, locked against a concurrent refresh. */
  async openFamilies(manager: EntityManager, userId: string): Promise<string[]> {
    const tokens = await manager.find(RefreshTokenRecord, {
      select: { familyId: true },
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      lock: { mode: 'pessimistic_write' },
    });
    return [...new Set(tokens.map((token) => token.familyId))];
  }

  async revokeAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(RefreshTokenRecord, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
