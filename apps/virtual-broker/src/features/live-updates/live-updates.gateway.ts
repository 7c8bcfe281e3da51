import { Inject, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { revokes, TokenRevocations, VerifiedToken } from '@tradecore/auth';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { AuthenticatedRequest } from '../../infrastructure/authenticated-ws.adapter';
import { LiveMessage, LiveUpdates } from '../../infrastructure/live-updates';
import { QuoteTicker } from '../../infrastructure/quote-ticker';
import { quoteView } from '../../projections/views';

/** More than the feed could ever quote; a longer list is a mistake or an attempt to flood the socket. */
export const MAX_SYMBOLS_PER_MESSAGE = 100;

/** Close codes: the client should refresh and reconnect, or log in again. */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_TOKEN_REVOKED = 4403;

interface Session {
  readonly userId: string;
  readonly token: VerifiedToken;
  readonly symbols: Set<string>;
  readonly expiry: NodeJS.Timeout;
}

interface WsReply {
  readonly event: string;
  readonly data: unknown;
}

/**
 * `/ws`: quotes of the symbols a client subscribed to, and its owner's order, position and cash
 * changes. A socket lives no longer than its access token, and closes as soon as the login it
 * belongs to ends (log-out, account deletion).
 */
@WebSocketGateway({ path: '/ws' })
export class LiveUpdatesGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy
{
  private readonly sessions = new Map<WebSocket, Session>();
  private stopListening?: () => void;

  constructor(
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
    @Inject(LiveUpdates) private readonly live: LiveUpdates,
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.revocations.onRevocation((revocation) => {
      for (const [client, session] of this.sessions) {
        if (revokes(revocation, session.token))
          client.close(CLOSE_TOKEN_REVOKED, 'this login was ended; log in again');
      }
    });
    this.ticker.onQuotes((quotes) => {
      for (const [client, session] of this.sessions) {
        for (const quote of quotes) {
          if (session.symbols.has(quote.symbol)) send(client, { event: 'quote', data: quoteView(quote) });
        }
      }
    });
    this.live.listen((userId: string, message: LiveMessage) => {
      for (const [client, session] of this.sessions) if (session.userId === userId) send(client, message);
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  handleConnection(client: WebSocket, request: AuthenticatedRequest): void {
    const token = request.token;
    if (!token) return client.close(CLOSE_TOKEN_EXPIRED, 'access token required');
    // A revocation heard between the handshake and now found no session to close.
    if (this.revocations.isRevoked(token))
      return client.close(CLOSE_TOKEN_REVOKED, 'this login was ended; log in again');
    const expiry = setTimeout(
      () => client.close(CLOSE_TOKEN_EXPIRED, 'access token expired; refresh it and reconnect'),
      Math.max(0, token.expiresAt * 1000 - Date.now()),
    );
    const { userId } = token.user;
    this.sessions.set(client, { userId, token, symbols: new Set(), expiry });
    send(client, { event: 'ready', data: { userId, symbols: this.ticker.symbols } });
  }

  handleDisconnect(client: WebSocket): void {
    clearTimeout(this.sessions.get(client)?.expiry);
    this.sessions.delete(client);
  }

  /** Answers with the symbols now subscribed, then the current quote of each one it added. */
  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() client: WebSocket, @MessageBody() data: { symbols?: unknown }): WsReply {
    const session = this.sessions.get(client);
    const listed = symbolsOf(data);
    if (listed.length > MAX_SYMBOLS_PER_MESSAGE) return tooManySymbols();
    const requested = [...new Set(listed)];
    const unknown = requested.filter((symbol) => !this.ticker.symbols.includes(symbol));
    if (!session || requested.length === 0 || unknown.length > 0) {
      return {
        event: 'error',
        data: {
          code: 'UNKNOWN_SYMBOL',
          message: `subscribe with {"event":"subscribe","data":{"symbols":[…]}} using tradable symbols: ${this.ticker.symbols.join(', ')}`,
          unknown,
        },
      };
    }
    const added = requested.filter((symbol) => !session.symbols.has(symbol));
    for (const symbol of added) session.symbols.add(symbol);
    setImmediate(() => {
      for (const symbol of added) {
        const quote = this.ticker.current(symbol);
        if (quote) send(client, { event: 'quote', data: quoteView(quote) });
      }
    });
    return { event: 'subscribed', data: { symbols: [...session.symbols] } };
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() client: WebSocket, @MessageBody() data: { symbols?: unknown }): WsReply {
    const session = this.sessions.get(client);
    const requested = symbolsOf(data);
    if (requested.length > MAX_SYMBOLS_PER_MESSAGE) return tooManySymbols();
    for (const symbol of requested) session?.symbols.delete(symbol);
    return { event: 'subscribed', data: { symbols: [...(session?.symbols ?? [])] } };
  }
}

function symbolsOf(data: { symbols?: unknown } | undefined): string[] {
  return Array.isArray(data?.symbols) ? data.symbols.map(String) : [];
}

function tooManySymbols(): WsReply {
  return {
    event: 'error',
    data: {
      code: 'TOO_MANY_SYMBOLS',
      message: `symbols: list at most ${MAX_SYMBOLS_PER_MESSAGE} symbols per message`,
    },
  };
}

function send(client: WebSocket, message: WsReply): void {
  if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
}
