import type { TsOrderJson } from '@tradecore/broker-sandboxes/tradestation/tradestation-wire';
import { BrokerAdapterError } from '../adapters/broker-adapter';
import { tsSnapshotOf } from '../adapters/tradestation-trading.adapter';
import {
  backoffMs,
  type TradeStream,
  type TradeStreamListener,
  type TradeStreamSettings,
} from './trade-stream';

const CONTENT_TYPE = 'application/vnd.tradestation.streams.v3+json';

type Frame = Partial<TsOrderJson> & {
  readonly Heartbeat?: number;
  readonly StreamStatus?: 'EndSnapshot' | 'GoAway';
  readonly Error?: string;
};

/** Why a connection ended: the broker asked us back at once, refused the token, or anything else. */
type Ending = 'goaway' | 'unauthorized' | 'lost';

/**
 * One account's TradeStation order stream (https://api.tradestation.com/docs/fundamentals/http-streaming/):
 * a chunked response of one JSON object a line — the orders, `EndSnapshot`, then every change, and
 * `Heartbeat`s in between. Silence for two heartbeat periods is a dead connection; `GoAway` asks for
 * an immediate reconnection; anything else lost is reopened with exponential backoff and jitter.
 * Each `EndSnapshot` is a (re)connection, the time to reconcile: the listing of orders that follows
 * stands in for the snapshot before it, so only the changes after it are applied as they come.
 */
export class TradeStationOrderStream implements TradeStream {
  private abort: AbortController | undefined;
  private stopped = false;
  private attempts = 0;
  private listenings = 0;
  private retry: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private rejected: string | undefined;
  private refusals = 0;
  private snapshotDone = false;

  constructor(
    private readonly url: string,
    /** A valid access token; `rejected` is one the stream was just refused with, not to be handed out again. */
    private readonly tokenFor: (rejected?: string) => Promise<string>,
    private readonly listener: TradeStreamListener,
    private readonly settings: TradeStreamSettings,
  ) {}

  get reconnections(): number {
    return Math.max(0, this.listenings - 1);
  }

  open(): void {
    this.stopped = false;
    void this.connect();
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearTimeout(this.watchdog);
    this.abort?.abort();
  }

  private async connect(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    let ending: Ending = 'lost';
    try {
      ending = await this.listen(abort);
    } catch (error) {
      if (error instanceof BrokerAdapterError && error.code === 'INVALID_CREDENTIALS') {
        this.stopped = true;
        this.listener.refused();
      }
    } finally {
      clearTimeout(this.watchdog);
      abort.abort();
    }
    this.listener.closed();
    if (this.stopped) return;
    // The first refusal may be a token that died early: one fresh token; a second means refused.
    if (ending === 'unauthorized' && this.refusals >= 2) {
      this.stopped = true;
      return this.listener.refused();
    }
    const delay = ending === 'lost' ? backoffMs(this.settings, this.attempts++) : 0;
    this.retry = setTimeout(() => void this.connect(), delay);
  }

  private async listen(abort: AbortController): Promise<Ending> {
    const token = await this.tokenFor(this.rejected);
    const response = await fetch(this.url, {
      headers: { Authorization: `Bearer ${token}`, Accept: CONTENT_TYPE },
      signal: abort.signal,
    });
    if (response.status === 401) {
      await response.body?.cancel();
      this.rejected = token;
      this.refusals += 1;
      return 'unauthorized';
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return 'lost';
    }
    this.rejected = undefined;
    this.refusals = 0;
    this.snapshotDone = false;
    this.arm(abort);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'lost';
      this.arm(abort);
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (line && this.receive(line, abort) === 'goaway') return 'goaway';
      }
    }
  }

  private receive(line: string, abort: AbortController): 'goaway' | undefined {
    let frame: Frame;
    try {
      frame = JSON.parse(line) as Frame;
    } catch {
      return undefined;
    }
    if (frame.StreamStatus === 'GoAway') return 'goaway';
    if (frame.StreamStatus === 'EndSnapshot') {
      this.snapshotDone = true;
      this.listenings += 1;
      this.attempts = 0;
      const reconnected = this.listenings > 1;
      this.enqueue(() => this.listener.listening(reconnected), abort);
    } else if (this.snapshotDone && frame.OrderID && frame.Legs) {
      const snapshot = tsSnapshotOf(frame as TsOrderJson);
      this.enqueue(() => this.listener.update(snapshot, undefined), abort);
    } else if (frame.Error) abort.abort();
    return undefined;
  }

  private enqueue(work: () => Promise<void>, abort: AbortController): void {
    this.queue = this.queue.then(work).catch((error: Error) => {
      this.listener.failed(error);
      abort.abort();
    });
  }

  /** Any chunk (a heartbeat at least) proves the connection alive for two more heartbeat periods. */
  private arm(abort: AbortController): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => abort.abort(), this.settings.heartbeatMs * 2);
  }
}
