import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/** Client messages are small JSON commands; without a cap ws buffers frames of up to 100 MiB. */
export const WS_MAX_PAYLOAD_BYTES = 16 * 1024;

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** With flow control, the relay stops reading from the service while the client has this much unsent. */
const FLOW_PAUSE_BYTES = 256 * 1024;
const FLOW_STALL_MS = 15_000;
export const CLOSE_TOO_SLOW = 4008;

// Codes a peer may not send in a close frame; the other side still hears that something ended.
const RESERVED_CLOSE_CODES = new Set([1004, 1005, 1006, 1015]);

/**
 * Ends the client's WebSocket here and opens one to the service, relaying messages and close
 * codes both ways. A raw TCP pipe would pass frames of any size to the service; terminating
 * lets the gateway refuse an oversized frame (close 1009) before it is buffered anywhere else.
 * The service's handshake answer comes first: a refused token is its 401, not an open socket.
 */
export class WebSocketRelay {
  private readonly server = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_PAYLOAD_BYTES,
    handleProtocols: (_offered, request) => (request as RelayedRequest).acceptedProtocol ?? false,
  });

  relay(req: IncomingMessage, socket: Socket, head: Buffer, target: string, options: RelayOptions): void {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((protocol) => protocol.trim())
      .filter(Boolean);
    const upstream = new WebSocket(target, offered, {
      maxPayload: 0,
      headers: forwardedHeaders(req, options.clientAddress),
    });
    // Until the service has answered, the client waits for an HTTP answer to its upgrade: one only.
    let answered = false;
    const answer = (status: string) => {
      if (answered) return;
      answered = true;
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    upstream.once('unexpected-response', (_request, response) => {
      answer(`${response.statusCode} ${response.statusMessage ?? ''}`);
      upstream.terminate();
    });
    upstream.on('error', () => answer('502 Bad Gateway'));
    socket.on('error', () => upstream.terminate());
    upstream.once('open', () => {
      answered = true;
      (req as RelayedRequest).acceptedProtocol = upstream.protocol || undefined;
      this.server.handleUpgrade(req, socket, head, (client) => join(client, upstream, options.flowControl));
    });
  }

  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }
}

export interface RelayOptions {
  readonly flowControl: boolean;
  /** The address the gateway believes is the client's, as for an HTTP request: the only X-Forwarded-For the service sees. */
  readonly clientAddress: string | undefined;
}

type RelayedRequest = IncomingMessage & { acceptedProtocol?: string };

function join(client: WebSocket, upstream: WebSocket, flowControl: boolean): void {
  client.on('message', (data, isBinary) => upstream.send(data, { binary: isBinary }));
  const paced = flowControl ? new PacedRelay(client, upstream) : undefined;
  upstream.on('message', (data, isBinary) => {
    if (paced) return paced.forward(data, isBinary);
    // A client that stops reading would otherwise make the gateway buffer its quotes without end.
    if (client.bufferedAmount > MAX_BUFFERED_BYTES) return client.terminate();
    client.send(data, { binary: isBinary });
  });
  client.once('close', (code, reason) => closeWith(upstream, code, reason));
  upstream.once('close', (code, reason) =>
    // Dropped while its client lagged: the service's close frame (4008) never made it out.
    paced?.lagging && code === 1006 ? paced.cut() : closeWith(client, code, reason),
  );
  // An oversized frame surfaces as an error; ws has already closed the client with 1009.
  client.on('error', () => upstream.terminate());
  upstream.on('error', () => client.terminate());
}

/**
 * Flow control: the service sees its own socket back up, so it batches for a slow client and cuts
 * it with its own close code. A client that takes nothing at all for FLOW_STALL_MS while the
 * service waits is cut here too.
 */
class PacedRelay {
  private stall?: NodeJS.Timeout;

  constructor(
    private readonly client: WebSocket,
    private readonly upstream: WebSocket,
  ) {
    client.once('close', () => clearTimeout(this.stall));
  }

  /** Paused, or resumed with the client still behind: a service's close frame may be stuck in its own buffer. */
  get lagging(): boolean {
    return this.upstream.isPaused || this.client.bufferedAmount > 0;
  }

  forward(data: WebSocket.RawData, isBinary: boolean): void {
    this.client.send(data, { binary: isBinary }, () => this.progressed());
    if (this.client.bufferedAmount < FLOW_PAUSE_BYTES || this.upstream.isPaused) return;
    this.upstream.pause();
    this.waitForProgress();
  }

  cut(): void {
    // The close frame follows what the client has yet to read; ws drops the socket 30 s on.
    this.client.close(CLOSE_TOO_SLOW, 'too slow: reconnect with since=<the last seq you read>');
    this.upstream.terminate();
  }

  private progressed(): void {
    if (!this.upstream.isPaused) return;
    if (this.client.bufferedAmount >= FLOW_PAUSE_BYTES) return this.waitForProgress();
    clearTimeout(this.stall);
    this.upstream.resume();
  }

  private waitForProgress(): void {
    clearTimeout(this.stall);
    this.stall = setTimeout(() => this.cut(), FLOW_STALL_MS);
  }
}

function closeWith(socket: WebSocket, code: number, reason: Buffer): void {
  if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return;
  if (RESERVED_CLOSE_CODES.has(code)) socket.close(1011, 'the other side went away');
  else socket.close(code, reason);
}

/** A client's own X-Forwarded-For is never passed on: appended to, it would let the client pick the address services limit. */
function forwardedHeaders(req: IncomingMessage, clientAddress: string | undefined): Record<string, string> {
  return {
    ...(typeof req.headers['x-correlation-id'] === 'string' && {
      'x-correlation-id': req.headers['x-correlation-id'],
    }),
    ...(typeof req.headers.origin === 'string' && { origin: req.headers.origin }),
    ...(clientAddress && { 'x-forwarded-for': clientAddress }),
  };
}
