import type { IncomingMessage } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import {
  AUTH_PUBLIC_KEY,
  TOKEN_SUBPROTOCOL,
  TokenRevocations,
  type VerifiedToken,
  verifyHandshake,
} from '@tradecore/auth';

/** A client message is a small JSON command; ws would otherwise buffer frames of up to 100 MiB. */
export const WS_MAX_PAYLOAD_BYTES = 16 * 1024;

export type AuthenticatedRequest = IncomingMessage & { token?: VerifiedToken };

/**
 * Verifies the access token during the handshake, so an unauthenticated client gets a 401 and
 * never a socket; a token of an ended session or a user being deleted is refused like an
 * expired one (`verifyHandshake`, shared with broker-account's `/realtime`).
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
        const verified = verifyHandshake(info.req, this.publicKey, this.revocations);
        if ('refused' in verified) return done(false, 401, verified.refused);
        info.req.token = verified;
        done(true);
      },
      handleProtocols: (protocols: Set<string>) =>
        protocols.has(TOKEN_SUBPROTOCOL) ? TOKEN_SUBPROTOCOL : false,
    });
  }
}
