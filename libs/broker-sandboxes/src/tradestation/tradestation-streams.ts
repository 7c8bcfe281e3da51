import type { ServerResponse } from 'node:http';
import type { TsOrderJson } from './tradestation-wire';

/** The documented content type of the brokerage order and position streams. */
export const STREAM_CONTENT_TYPE = 'application/vnd.tradestation.streams.v3+json';

/**
 * Open order streams (https://api.tradestation.com/docs/fundamentals/http-streaming/): a chunked
 * response per subscriber, one JSON object a line — the account's orders, `{"StreamStatus":"EndSnapshot"}`,
 * then each change as it happens, and `{"Heartbeat":n,"Timestamp":…}` while nothing does.
 */
export class TradeStationStreams {
  private readonly open_ = new Map<ServerResponse, { accounts: readonly string[]; beats: number }>();
  private refuseUntil = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs: number) {
    this.heartbeat = setInterval(() => {
      for (const [res, stream] of this.open_)
        write(res, { Heartbeat: ++stream.beats, Timestamp: new Date().toISOString() });
    }, heartbeatMs);
  }

  get count(): number {
    return this.open_.size;
  }

  open(res: ServerResponse, accounts: readonly string[], snapshot: readonly TsOrderJson[]): void {
    if (Date.now() < this.refuseUntil) return void res.socket?.destroy();
    res.writeHead(200, { 'Content-Type': STREAM_CONTENT_TYPE, 'Transfer-Encoding': 'chunked' });
    snapshot.forEach((order) => write(res, order));
    write(res, { StreamStatus: 'EndSnapshot' });
    this.open_.set(res, { accounts, beats: 0 });
    res.on('close', () => this.open_.delete(res));
  }

  publish(order: TsOrderJson): void {
    for (const [res, { accounts }] of this.open_) if (accounts.includes(order.AccountID)) write(res, order);
  }

  /** For tests and demos: cut every stream's socket mid-chunk, and refuse new ones for a while. */
  drop(refuseForMs: number): number {
    this.refuseUntil = Date.now() + refuseForMs;
    const dropped = this.open_.size;
    for (const res of this.open_.keys()) res.socket?.destroy();
    this.open_.clear();
    return dropped;
  }

  /** What TradeStation sends before it ends a stream on purpose: reconnect. */
  goAway(): number {
    const ended = this.open_.size;
    for (const res of this.open_.keys()) {
      write(res, { StreamStatus: 'GoAway' });
      res.end();
    }
    this.open_.clear();
    return ended;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.open_.keys()) res.socket?.destroy();
    this.open_.clear();
  }
}

function write(res: ServerResponse, frame: object): void {
  if (!res.writableEnded) res.write(`${JSON.stringify(frame)}\n`);
}
