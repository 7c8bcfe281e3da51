import { Inject, OnModuleInit } from '@nestjs/common';
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

interface Session {
  readonly userId: string;
  readonly symbols: Set<string>;
}

interface WsReply {
  readonly event: string;
  readonly data: unknown;
}

/** `/ws`: quotes of the symbols a client subscribed to, and its owner's order, position and cash changes. */
@WebSocketGateway({ path: '/ws' })
export class LiveUpdatesGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit {
  private readonly sessions = new Map<WebSocket, Session>();

  constructor(
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
    @Inject(LiveUpdates) private readonly live: LiveUpdates,
  ) {}

  onModuleInit(): void {
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

  handleConnection(client: WebSocket, request: AuthenticatedRequest): void {
    if (!request.user) return client.close(4401, 'access token required');
    this.sessions.set(client, { userId: request.user.userId, symbols: new Set() });
    send(client, { event: 'ready', data: { userId: request.user.userId, symbols: this.ticker.symbols } });
  }

  handleDisconnect(client: WebSocket): void {
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
