import type { IncomingMessage } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { type VerifiedToken, verifyAccessTokenClaims } from './access-token';
import type { TokenRevocations } from './token-revocations';

export const TOKEN_SUBPROTOCOL = 'bearer';

/**
 * Browsers cannot set headers on a WebSocket, hence the two ways to send the access token in a
 * handshake: the subprotocol list `bearer, <token>` or the `access_token` query parameter.
 */
export function handshakeTokenOf(request: IncomingMessage): string | undefined {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim());
  const index = offered.indexOf(TOKEN_SUBPROTOCOL);
  if (index >= 0 && offered[index + 1]) return offered[index + 1];
  return new URL(request.url ?? '/', 'http://localhost').searchParams.get('access_token') ?? undefined;
}

/** The handshake's verified token, or why it is refused: a token of an ended login is refused like an expired one. */
export function verifyHandshake(
  request: IncomingMessage,
  publicKey: KeyObject,
  revocations: TokenRevocations,
): VerifiedToken | { refused: string } {
  const token = handshakeTokenOf(request);
  if (!token) return { refused: 'access token required' };
  try {
    const verified = verifyAccessTokenClaims(token, publicKey);
    return revocations.isRevoked(verified) ? { refused: 'access token revoked' } : verified;
  } catch {
    return { refused: 'invalid access token' };
  }
}
