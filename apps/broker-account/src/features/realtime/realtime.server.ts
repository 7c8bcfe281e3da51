import type { IncomingMessage, Server } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocket, WebSocketServer } from 'ws';
import {
  AUTH_PUBLIC_KEY,
  revokes,
  TOKEN_SUBPROTOCOL,
  TokenRevocations,
  verifyHandshake,
} from '@tradecore/auth';
import type { VerifiedToken } from '@tradecore/auth';
import type { BrokerAccountEnv } from '../../broker-account.env';
import { UserUpdateLog } from '../../infrastructure/user-update-log';
import { RealtimeSession } from './realtime-session';

export const REALTIME_PATH = '/realtime';
/** Close codes: refresh the token and reconnect, or log in again. */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_TOKEN_REVOKED = 4403;
/** Clients send nothing the channel reads; a large frame is a mistake or an attack. */
const MAX_CLIENT_FRAME_BYTES = 1024;

/**
 * `/realtime` (`/api/realtime` at the gateway): one socket per user session, carrying every update
 * the user may see in seq order; `?since=<seq>` resumes. docs/realtime.md is the protocol.
 */
@Injectable()
export class RealtimeServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_FRAME_BYTES,
    handleProtocols: (offered) => (offered.has(TOKEN_SUBPROTOCOL) ? TOKEN_SUBPROTOCOL : false),
  });
  private readonly sessions = new Map<WebSocket, { session: RealtimeSession; token: VerifiedToken }>();
  private heartbeat?: NodeJS.Timeout;
  private stopHearingRevocations?: () => void;

  constructor(
    @Inject(HttpAdapterHost) private readonly http: HttpAdapterHost,
    @Inject(AUTH_PUBLIC_KEY) private readonly publicKey: KeyObject,
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
    @Inject(UserUpdateLog) private readonly log: UserUpdateLog,
    @Inject(ConfigService) private readonly config: ConfigService<BrokerAccountEnv, true>,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.http.httpAdapter.getHttpServer() as Server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
    const seconds = this.config.get('REALTIME_HEARTBEAT_SECONDS', { infer: true });
    this.heartbeat = setInterval(
      () => this.sessions.forEach(({ session }) => session.beat()),
      seconds * 1000,
    );
    this.stopHearingRevocations = this.revocations.onRevocation((revocation) => {
      for (const [socket, { token }] of this.sessions)
        if (revokes(revocation, token))
          socket.close(CLOSE_TOKEN_REVOKED, 'this login was ended; log in again');
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    this.stopHearingRevocations?.();
    for (const socket of this.sessions.keys())
      socket.close(1001, 'the service is restarting; resume with since');
    this.sockets.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== REALTIME_PATH)
      return refuse(socket, 404, 'NOT_FOUND', `no WebSocket at ${url.pathname}`);
    const since = url.searchParams.get('since');
    if (since !== null && !/^\d{1,15}$/.test(since))
      return refuse(
        socket,
        400,
        'VALIDATION_FAILED',
        'since: must be the non-negative integer seq of the last update read',
      );
    const verified = verifyHandshake(request, this.publicKey, this.revocations);
    if ('refused' in verified) return refuse(socket, 401, 'UNAUTHORIZED', verified.refused);
    this.sockets.handleUpgrade(
      request,
      socket,
      head,
      (client) => void this.open(client, verified, since === null ? undefined : Number(since)),
    );
  }

  private async open(socket: WebSocket, token: VerifiedToken, since: number | undefined): Promise<void> {
    const maxWaiting = this.config.get('REALTIME_MAX_WAITING_UPDATES', { infer: true });
    const session = new RealtimeSession(socket, token.user.userId, this.log, maxWaiting);
    this.sessions.set(socket, { session, token });
    const expiry = setTimeout(
      () => socket.close(CLOSE_TOKEN_EXPIRED, 'access token expired; refresh it and reconnect with since'),
      Math.max(0, token.expiresAt * 1000 - Date.now()),
    );
    socket.once('close', () => {
      clearTimeout(expiry);
      session.stop();
      this.sessions.delete(socket);
    });
    socket.on('error', () => socket.terminate());
    try {
      await session.start(since);
    } catch {
      socket.close(1011, 'updates are unavailable right now; reconnect with since');
    }
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ statusCode: status, code, message });
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found' }[status];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
