import type Redis from 'ioredis';

// Takes the lock when free or already ours (refreshing its expiry), so re-acquiring after a restart is safe.
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
  return 1
end
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

// Only prolongs the lock its owner still holds: 1 extended, 0 gone, -1 another saga's.
const EXTEND = `
local current = redis.call('GET', KEYS[1])
if not current then
  return 0
end
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return -1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * One saga per aggregate, fast and visible across replicas: a Redis key owned by the saga id,
 * with an expiry so a crashed orchestrator cannot hold it forever. The unique index on active
 * sagas in PostgreSQL stays the authority; this lock keeps most contenders from ever reaching it.
 */
export class AggregateLock {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly ttlMs: number,
  ) {}

  async acquire(aggregateId: string, sagaId: string): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, this.key(aggregateId), sagaId, this.ttlMs)) === 1;
  }

  /**
   * Keeps a held lock alive without ever creating one: a saga that ended (and released its lock)
   * after the caller saw it running must not get it back. 'missing' is for the caller to decide,
   * with the saga's row locked, whether the saga still runs and should take it again.
   */
  async extend(aggregateId: string, sagaId: string): Promise<'extended' | 'missing' | 'taken'> {
    const held = await this.redis.eval(EXTEND, 1, this.key(aggregateId), sagaId, this.ttlMs);
    return held === 1 ? 'extended' : held === 0 ? 'missing' : 'taken';
  }

  async release(aggregateId: string, sagaId: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key(aggregateId), sagaId)) === 1;
  }

  private key(aggregateId: string): string {
    return `${this.namespace}:saga-lock:${aggregateId}`;
  }
}
