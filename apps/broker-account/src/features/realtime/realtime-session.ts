import type { WebSocket } from 'ws';
import type { LoggedUpdate, UserUpdateLog } from '../../infrastructure/user-update-log';

/** The client could not keep up: it should reconnect with `since` set to the last seq it read. */
export const CLOSE_TOO_SLOW = 4008;

/** Updates in one frame when a client is behind: a JSON array instead of one object. */
const MAX_BATCH = 500;

type Control = 'welcome' | 'heartbeat' | 'resync';

/**
 * One socket of one user: updates in seq order without gap or repeat, whether heard live or read
 * back from the log. One frame is in flight at a time; what arrives meanwhile waits and leaves as
 * one batch, and a client that lets more than `maxWaiting` wait is cut instead of buffered.
 */
export class RealtimeSession {
  private delivered = 0;
  private readonly waiting: string[] = [];
  private sending = false;
  private catchingUp = false;
  private readAgain = false;
  private answeredPing = true;
  private stopFollowing?: () => void;
  private stopped = false;

  constructor(
    private readonly socket: WebSocket,
    readonly userId: string,
    private readonly log: UserUpdateLog,
    private readonly maxWaiting: number,
  ) {
    socket.on('pong', () => (this.answeredPing = true));
  }

  /** From `since` when given (what the client missed), else from now. */
  async start(since: number | undefined): Promise<void> {
    this.stopFollowing = await this.log.follow(this.userId, (update) => this.heard(update));
    if (this.stopped) return this.stopFollowing();
    const latest = await this.log.latest(this.userId);
    this.delivered = since ?? latest;
    this.control('welcome', { userId: this.userId, seq: latest, ...(since !== undefined && { since }) });
    if (since !== undefined) await this.catchUp();
  }

  stop(): void {
    this.stopped = true;
    this.stopFollowing?.();
    this.waiting.length = 0;
  }

  /** A ping the client's WebSocket answers by itself, and a heartbeat message when nothing else is going out. */
  beat(): void {
    // A cut socket is left to finish its close: dropping it would lose the 4008 behind what it sent.
    if (this.stopped) return;
    // No pong: a peer still taking frames is too slow (its pong waits behind them), an idle one is gone.
    if (!this.answeredPing) return this.sending ? this.cut() : void this.socket.terminate();
    this.answeredPing = false;
    this.socket.ping();
    if (!this.sending && this.waiting.length === 0) this.control('heartbeat', { seq: this.delivered });
    // Pub/sub is best effort: a message lost while the subscriber reconnected is read back here.
    void this.catchUp();
  }

  private heard(update: LoggedUpdate): void {
    if (this.catchingUp || update.seq > this.delivered + 1) return void this.catchUp();
    if (update.seq === this.delivered + 1) this.enqueue(update.seq, update.json);
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp) return void (this.readAgain = true);
    this.catchingUp = true;
    try {
      do {
        this.readAgain = false;
        const read = await this.log.readAfter(this.userId, this.delivered);
        if (read.kind === 'resync') {
          this.control('resync', { since: this.delivered, seq: read.latest });
          this.delivered = read.latest;
        } else {
          for (const update of read.updates) this.enqueue(update.seq, update.json);
          if (this.delivered < read.latest && read.updates.length > 0) this.readAgain = true;
        }
      } while (this.readAgain && this.socket.readyState === this.socket.OPEN);
    } catch {
      // Redis unavailable: the next heartbeat reads again from the same point.
    } finally {
      this.catchingUp = false;
    }
  }

  private control(type: Control, payload: Record<string, unknown>): void {
    this.waiting.push(JSON.stringify({ type, at: new Date().toISOString(), payload }));
    this.flush();
  }

  private enqueue(seq: number, json: string): void {
    this.delivered = seq;
    this.waiting.push(json);
    if (this.waiting.length > this.maxWaiting) return this.cut();
    this.flush();
  }

  private flush(): void {
    if (this.sending || this.waiting.length === 0 || this.socket.readyState !== this.socket.OPEN) return;
    const batch = this.waiting.splice(0, MAX_BATCH);
    this.sending = true;
    this.socket.send(batch.length === 1 ? batch[0] : `[${batch.join(',')}]`, () => {
      this.sending = false;
      this.flush();
    });
  }

  /** What waited is let go at once; the close frame follows what was already sent (ws drops the socket 30 s on). */
  private cut(): void {
    this.stop();
    this.socket.close(CLOSE_TOO_SLOW, 'too slow: reconnect with since=<the last seq you read>');
  }
}
