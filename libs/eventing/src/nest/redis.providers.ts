import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { EventingEnv } from '../config/eventing.env';

@Injectable()
class RedisConnection implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * A pub/sub channel name for this deployment. Keys are kept apart by the database number in
 * REDIS_URL, but Redis delivers PUBLISH to every subscriber on the server whatever database
 * either selected, so a channel names the database as well as the caller's own prefix.
 */
export function redisChannel(redis: Redis, name: string): string {
  return `db${redis.options.db ?? 0}:${name}`;
}

/**
 * A Redis client for a service. One retry per command: an outage should fail a request or a probe
 * fast, not queue it; the command timeout covers the outage a retry cannot see, a connection that
 * stays open but silent. And a command its caller was told had failed never runs later: ioredis
 * would otherwise send, once the line is back, what it queued or had in flight during the outage,
 * so every login tried meanwhile would count against the account at once. Commands wait for the
 * first connection only, so start-up does not race it.
 */
export function serviceRedis(url: string, commandTimeoutMs: number): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: commandTimeoutMs,
    keepAlive: 10_000,
    autoResendUnfulfilledCommands: false,
  });
  redis.once('ready', () => (redis.options.enableOfflineQueue = false));
  return redis;
}

export const redisProviders: Provider[] = [
  {
    provide: Redis,
    inject: [ConfigService],
    useFactory: (config: ConfigService<EventingEnv, true>) =>
      serviceRedis(
        config.get('REDIS_URL', { infer: true }),
        config.get('REDIS_COMMAND_TIMEOUT_MS', { infer: true }),
      ),
  },
  RedisConnection,
];
