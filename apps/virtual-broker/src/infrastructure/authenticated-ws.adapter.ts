import type { IncomingMessage } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { AUTH_PUBLIC_KEY, TokenRevocations, VerifiedToken, verifyAccessTokenClaims } from '@tradecore/auth';

export const TOKEN_SUBPROTOCOL = 'bearer';

/** A client message is a small JSON command; ws would otherwise buffer frames of up to 100 MiB. */
export const WS_MAX_PAYLOAD_BYTES = 16 * 1024;

export type AuthenticatedRequest = IncomingMessage & { token?: VerifiedToken };

/**
 * Verifies the access token during the handshake, so an unauthenticated client gets a 401 and
 * never a socket; a token of an ended session or a user being deleted is refused like an
 * expired one. Browsers cannot set headers on a WebSocket, hence the two ways to send the
 * token: the subprotocol list `bearer, <token>` or the `access_token` query parameter.
 */
export class AuthenticatedWsAdapter extends WsAdapter {
  private readonly publicKey: KeyObject;
  private readonly revocations: TokenRevocations;

  constructor(app: INestApplicationContext) {
    super(app);
    this.publicKey = app.get(AUTH_PUBLIC_KEY);
    this.revocations = app.get(TokenRevocations);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}) {
    return super.create(port, {
      ...options,
      maxPayload: WS_MAX_PAYLOAD_BYTES,
      verifyClient: (
        info: { req: AuthenticatedRequest },
        done: (accepted: boolean, code?: number, message?: string) => void,
      ) => {
        const token = tokenOf(info.req);
        if (!token) return done(false, 401, 'access token required');
        try {
          const verified = verifyAccessTokenClaims(token, this.publicKey);
          if (this.revocations.isRevoked(verified)) return done(false, 401, 'access token revoked');
          info.req.token = verified;
          done(true);
        } catch {
          done(false, 401, 'invalid access token');
        }
      },
      handleProtocols: (protocols: Set<string>) =>
        protocols.has(TOKEN_SUBPROTOCOL) ? TOKEN_SUBPROTOCOL : false,
    });
  }
}

function tokenOf(request: IncomingMessage): string | undefined {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim());
  const index = offered.indexOf(TOKEN_SUBPROTOCOL);
  if (index >= 0 && offered[index + 1]) return offered[index + 1];
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('access_token');
  return query ?? undefined;
}
