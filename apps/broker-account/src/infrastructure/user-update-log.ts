import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { RealtimeUpdate } from '../domain/realtime-updates';

/** An update as the client receives it: the JSON text of `{ seq, type, at, payload }`. */
export interface LoggedUpdate {
  readonly seq: number;
  readonly json: string;
}

export type ReadAfter =
  | { readonly kind: 'updates'; readonly updates: readonly LoggedUpdate[]; readonly latest: number }
  | { readonly kind: 'resync'; readonly latest: number };

/** Most updates one read returns; a client further behind reads again. */
const READ_PAGE = 1000;
/** Message ids remembered per user, so a message handled again after a failed commit is not logged twice. */
const REMEMBERED_MESSAGES = 256;

// Atomic per user: the sequence never goes backwards and a message is logged at most once.
// Several updates go in one call (ARGV from 4 on: key, update, key, update…); old entries are
// trimmed a few per call (the window), the log is capped (MAXLEN) and expires when idle; the
// counter never expires, so a user's sequence survives an empty log.
const APPEND = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local seqs = {}
local appended = false
for i = 4, #ARGV, 2 do
  if redis.call('ZSCORE', KEYS[3], ARGV[i]) then
    seqs[#seqs + 1] = 0
  else
    local seq = redis.call('INCR', KEYS[1])
    local json = '{"seq":' .. seq .. ',' .. string.sub(ARGV[i + 1], 2)
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 't', now, 'u', json)
    redis.call('ZADD', KEYS[3], seq, ARGV[i])
    redis.call('PUBLISH', ARGV[3], json)
    seqs[#seqs + 1] = seq
    appended = true
  end
end
if not appended then return seqs end
local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 8)
local expired = nil
for _, entry in ipairs(oldest) do
  if tonumber(entry[2][2]) >= now - tonumber(ARGV[2]) then break end
  expired = tonumber(string.match(entry[1], '^(%d+)'))
end
if expired then redis.call('XTRIM', KEYS[2], 'MINID', (expired + 1) .. '-0') end
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -${REMEMBERED_MESSAGES + 1})
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return seqs
`;

/** One update to log, under the key that makes logging it again a no-op. */
export interface LogEntry {
  readonly messageKey: string;
  readonly update: RealtimeUpdate;
}

type Listener = (update: LoggedUpdate) => void;

export interface UserUpdateLogOptions {
  /** Starts every key and channel: `db<N>:broker-account:<schema>:realtime`, so deployments sharing a Redis stay apart. */
  readonly namespace: string;
  readonly windowMs: number;
  readonly maxUpdates: number;
}

/**
 * Each user's updates in order, in a Redis stream per user that every replica shares: the
 * consumers that learn of an event append to it, and whichever replicas hold that user's sockets
 * hear of each append on the user's pub/sub channel and read the stream to catch up.
 */
export class UserUpdateLog implements OnModuleDestroy {
  private readonly logger = new Logger(UserUpdateLog.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly options: UserUpdateLogOptions,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** The update's sequence number, or 0 when `messageKey` was logged already. */
  async append(userId: string, messageKey: string, update: RealtimeUpdate): Promise<number> {
    const [seq] = await this.appendAll(userId, [{ messageKey, update }]);
    return seq;
  }

  /** Several updates in order in one round trip: each one's sequence number, or 0 for a key logged already. */
  async appendAll(userId: string, entries: readonly LogEntry[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const keys = this.keysOf(userId);
    const seqs = await this.redis.eval(
      APPEND,
      3,
      keys.seq,
      keys.log,
      keys.seen,
      this.options.maxUpdates,
      this.options.windowMs,
      keys.channel,
      ...entries.flatMap(({ messageKey, update }) => [messageKey, JSON.stringify(update)]),
    );
    return Array.isArray(seqs) ? seqs.map(Number) : [];
  }

  /** Updates after `after` in order, or resync when some of them are no longer kept (or `after` is ahead). */
  async readAfter(userId: string, after: number): Promise<ReadAfter> {
    const keys = this.keysOf(userId);
    const [[, latestText], [, entries]] = (await this.redis
      .multi()
      .get(keys.seq)
      .xrange(keys.log, `${after + 1}-0`, '+', 'COUNT', READ_PAGE)
      .exec()) as [[null, string | null], [null, [string, string[]][]]];
    const latest = Number(latestText ?? 0);
    if (after === latest) return { kind: 'updates', updates: [], latest };
    const updates = entries.map(([id, fields]) => ({ seq: parseInt(id, 10), json: fields[3] }));
    if (after > latest || updates[0]?.seq !== after + 1) return { kind: 'resync', latest };
    return { kind: 'updates', updates, latest };
  }

  async latest(userId: string): Promise<number> {
    return Number((await this.redis.get(this.keysOf(userId).seq)) ?? 0);
  }

  /** Hears every update appended for the user from now on, from any replica; returns how to stop. */
  async follow(userId: string, listener: Listener): Promise<() => void> {
    const subscriber = this.subscriberConnection();
    const channel = this.keysOf(userId).channel;
    const listeners = this.listeners.get(channel) ?? new Set();
    listeners.add(listener);
    if (!this.listeners.has(channel)) {
      this.listeners.set(channel, listeners);
      await subscriber.subscribe(channel);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0 || this.listeners.get(channel) !== listeners) return;
      this.listeners.delete(channel);
      subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  /** A deleted user's updates go with them; the counter stays, so a reused socket never sees seq go back. */
  async forget(userId: string): Promise<void> {
    const keys = this.keysOf(userId);
    await this.redis.del(keys.log, keys.seen);
  }

  private subscriberConnection(): Redis {
    if (this.subscriber) return this.subscriber;
    // A subscriber waits for its own first connection (the service client stops queueing once ready).
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    subscriber.on('message', (channel: string, json: string) => {
      const seq = Number(/^\{"seq":(\d+)/.exec(json)?.[1]);
      for (const listener of this.listeners.get(channel) ?? []) listener({ seq, json });
    });
    subscriber.on('error', (error: Error) => this.logger.warn(`real-time subscriber: ${error.message}`));
    this.subscriber = subscriber;
    return subscriber;
  }

  private keysOf(userId: string) {
    const key = `${this.options.namespace}:${userId}`;
    return { seq: `${key}:seq`, log: `${key}:log`, seen: `${key}:seen`, channel: `${key}:updates` };
  }
}
