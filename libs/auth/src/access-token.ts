import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export type UserRole = 'user' | 'admin';

export interface AuthenticatedUser {
  readonly userId: string;
  readonly role: UserRole;
}

/** Pinned: a token naming any other algorithm (`none`, HS256 keyed with the public key, …) is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'RS256';
export const ACCESS_TOKEN_ISSUER = 'tradecore-user-account';
export const ACCESS_TOKEN_AUDIENCE = 'tradecore';

const ROLES: readonly UserRole[] = ['user', 'admin'];

/** Any reason a bearer token is not accepted; the reason is for logs, clients only see INVALID_TOKEN. */
export class InvalidAccessTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidAccessTokenError';
  }
}

export function signAccessToken(
  privateKeyPem: string,
  user: AuthenticatedUser,
  options: { expiresInSeconds: number; tokenId?: string; keyId?: string; sessionId?: string },
): string {
  const claims = { role: user.role, ...(options.sessionId && { sid: options.sessionId }) };
  return jwt.sign(claims, privateKeyPem, {
    algorithm: ACCESS_TOKEN_ALGORITHM,
    subject: user.userId,
    issuer: ACCESS_TOKEN_ISSUER,
    audience: ACCESS_TOKEN_AUDIENCE,
    expiresIn: options.expiresInSeconds,
    ...(options.tokenId && { jwtid: options.tokenId }),
    ...(options.keyId && { keyid: options.keyId }),
  });
}

/** Checks signature, algorithm, issuer, audience, expiry and claims; throws InvalidAccessTokenError otherwise. */
export function verifyAccessToken(token: string, publicKeyPem: string | KeyObject): AuthenticatedUser {
  return verifyAccessTokenClaims(token, publicKeyPem).user;
}

/** What a verified token says beyond its user; times in seconds since the epoch. */
export interface VerifiedToken {
  readonly user: AuthenticatedUser;
  readonly expiresAt: number;
  readonly issuedAt: number;
  /** The login (refresh-token family) it was issued for, so ending that login revokes it. */
  readonly sessionId?: string;
}

/** verifyAccessToken, also telling when the token was issued and expires, and its session. */
export function verifyAccessTokenClaims(
  token: string,
  publicKeyPem: string | KeyObject,
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifiedToken {
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, publicKeyPem, {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      clockTimestamp: nowSeconds,
    });
  } catch (error) {
    throw new InvalidAccessTokenError((error as Error).message);
  }
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || claims.sub.length === 0)
    throw new InvalidAccessTokenError('token has no subject');
  if (typeof claims.exp !== 'number') throw new InvalidAccessTokenError('token has no expiry');
  const role = claims.role as UserRole;
  if (!ROLES.includes(role)) throw new InvalidAccessTokenError('token has no valid role');
  return {
    user: { userId: claims.sub, role },
    expiresAt: claims.exp,
    // jsonwebtoken stamps iat on every token it signs; one without is as old as can be.
    issuedAt: typeof claims.iat === 'number' ? claims.iat : 0,
    ...(typeof claims.sid === 'string' && { sessionId: claims.sid }),
  };
}

/** Parses once at start-up, so a malformed or private key is a configuration error, not a 401 per request. */
export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem.replace(/\\n/g, '\n'));
  if (key.asymmetricKeyType !== 'rsa')
    throw new Error(`expected an RSA public key, got ${key.asymmetricKeyType}`);
  return key;
}
