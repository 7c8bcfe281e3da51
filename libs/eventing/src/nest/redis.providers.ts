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

export const redisProviders: Provider[] = [
  {
    provide: Redis,
    inject: [ConfigService],
    // One retry per command: a Redis outage should fail a request or a probe fast, not queue it. The
    // command timeout covers the outage a retry cannot see, a connection that stays open but silent.
    useFactory: (config: ConfigService<EventingEnv, true>) =>
      new Redis(config.get('REDIS_URL', { infer: true }), {
        maxRetriesPerRequest: 1,
        commandTimeout: config.get('REDIS_COMMAND_TIMEOUT_MS', { infer: true }),
        connectTimeout: config.get('REDIS_COMMAND_TIMEOUT_MS', { infer: true }),
        keepAlive: 10_000,
      }),
  },
  RedisConnection,
];
