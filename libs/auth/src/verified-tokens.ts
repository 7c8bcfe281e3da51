import type { KeyObject } from 'node:crypto';
import { InvalidAccessTokenError, type VerifiedToken, verifyAccessTokenClaims } from './access-token';

export interface VerifiedTokensOptions {
  readonly maxEntries?: number;
  /** Milliseconds since the epoch; a parameter so expiry can be tested without waiting. */
  readonly now?: () => number;
}

/**
 * verifyAccessToken that remembers the tokens it accepted until they expire: a client sends the
 * same token with every request, and an RSA signature check is the costliest step of a request.
 * The cache key is the whole token, signature included, so a changed byte is verified afresh;
 * refused tokens are not remembered. Revocation is checked by the caller, after this cache.
 */
export function verifiedTokens(
  publicKey: string | KeyObject,
  { maxEntries = 10_000, now = Date.now }: VerifiedTokensOptions = {},
): (token: string) => VerifiedToken {
  const accepted = new Map<string, VerifiedToken>();
  return (token) => {
    const nowSeconds = Math.floor(now() / 1000);
    const known = accepted.get(token);
    if (known && nowSeconds < known.expiresAt) return known;
    if (known) {
      accepted.delete(token);
      throw new InvalidAccessTokenError('jwt expired');
    }
    const verified = verifyAccessTokenClaims(token, publicKey, nowSeconds);
    if (accepted.size >= maxEntries) accepted.delete(accepted.keys().next().value as string);
    accepted.set(token, verified);
    return verified;
  };
}
