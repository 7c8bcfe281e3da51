import { WebSocket } from 'ws';
import type { AlpacaOrderJson } from '@tradecore/broker-sandboxes/alpaca/alpaca-wire';
import type { AlpacaCredentials } from '../adapters/broker-adapter';
import { snapshotOf } from '../adapters/alpaca-trading.adapter';
import {
  backoffMs,
  type TradeStream,
  type TradeStreamListener,
  type TradeStreamSettings,
} from './trade-stream';

interface StreamMessage {
  readonly stream?: string;
  readonly data?: {
    readonly status?: string;
    readonly event?: string;
    readonly order?: AlpacaOrderJson;
    readonly qty?: string;
    readonly price?: string;
    readonly position_qty?: string;
  };
}

/**
 * One account's Alpaca `trade_updates` stream (https://docs.alpaca.markets/docs/websocket-streaming):
 * authenticate, listen, then apply each update in order. Kept open with pings; a dead or closed
 * socket is reopened with exponential backoff and jitter, and every (re)connection reconciles.
 */
export class AlpacaTradeStream implements TradeStream {
  private socket: WebSocket | undefined;
  private stopped = false;
  private attempts = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly credentials: AlpacaCredentials,
    private readonly listener: TradeStreamListener,
    private readonly settings: TradeStreamSettings,
  ) {}

  private listenings = 0;

  /** How many times it has listened again after losing the socket. */
  get reconnections(): number {
    return Math.max(0, this.listenings - 1);
  }

  open(): void {
    this.stopped = false;
    this.connect();
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    this.socket?.terminate();
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    let alive = true;
    socket.on('open', () => {
      socket.send(
        JSON.stringify({
          action: 'auth',
          key: this.credentials.apiKeyId,
          secret: this.credentials.apiSecretKey,
        }),
      );
      this.heartbeat = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
      }, this.settings.heartbeatMs);
    });
    socket.on('pong', () => (alive = true));
    socket.on('message', (raw) => this.receive(socket, raw.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(this.heartbeat);
      this.listener.closed();
      if (!this.stopped) this.scheduleReconnect();
    });
  }

  private receive(socket: WebSocket, raw: string): void {
    let message: StreamMessage;
    try {
      message = JSON.parse(raw) as StreamMessage;
    } catch {
      return;
    }
    if (message.stream === 'authorization') {
      if (message.data?.status === 'authorized')
        return socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
      this.stopped = true;
      return this.listener.refused();
    }
    if (message.stream === 'listening') {
      this.listenings += 1;
      this.attempts = 0;
      const reconnected = this.listenings > 1;
      return this.enqueue(() => this.listener.listening(reconnected));
    }
    const order = message.data?.order;
    if (message.stream !== 'trade_updates' || !order) return;
    const { qty, price, position_qty: position } = message.data!;
    const execution =
      qty !== undefined && price !== undefined && position !== undefined
        ? { quantity: Number(qty), price: Number(price).toFixed(2), positionQuantity: Number(position) }
        : undefined;
    this.enqueue(() => this.listener.update(snapshotOf(order), execution));
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: Error) => {
      this.listener.failed(error);
      this.socket?.terminate();
    });
  }

  private scheduleReconnect(): void {
    this.retry = setTimeout(() => this.connect(), backoffMs(this.settings, this.attempts++));
  }
}
