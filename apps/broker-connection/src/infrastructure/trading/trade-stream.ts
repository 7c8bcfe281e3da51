import type { BrokerExecution, BrokerOrderSnapshot } from '../../domain/broker-order.decider';

export interface TradeStreamSettings {
  /** How often the broker's side is proven alive; silence for two of these is a dead connection. */
  readonly heartbeatMs: number;
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
}

export interface TradeStreamListener {
  /** Called in arrival order, one at a time. */
  update(snapshot: BrokerOrderSnapshot, execution: BrokerExecution | undefined): Promise<void>;
  /** Listening (again): the time to reconcile what the gap may have hidden. */
  listening(reconnected: boolean): Promise<void>;
  /** The broker refused the credentials: the stream stops until it is opened again. */
  refused(): void;
  /** The connection is gone; a new one follows unless the stream was closed or refused. */
  closed(): void;
  /** Applying an update failed: the connection is dropped so the reconnection reconciles it. */
  failed(error: Error): void;
}

/** One account's stream of order updates from its broker (a WebSocket, or a chunked HTTP response). */
export interface TradeStream {
  open(): void;
  close(): void;
  /** How many times it has listened again after losing its connection. */
  readonly reconnections: number;
}

/** The delay before reconnection attempt `attempt` (0-based): exponential, capped, with jitter. */
export function backoffMs(settings: TradeStreamSettings, attempt: number): number {
  const ceiling = Math.min(settings.reconnectMaxMs, settings.reconnectInitialMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
