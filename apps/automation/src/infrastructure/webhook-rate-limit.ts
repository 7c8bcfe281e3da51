import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { AutomationEnv } from '../automation.env';

/**
 * Signals per webhook token per minute, counted in Redis so every replica shares the count. An
 * alert storm (a misconfigured alert firing on every tick) stops here instead of trading. When
 * Redis is down the signal is let through: losing a trader's signal costs more than a burst.
 */
@Injectable()
export class WebhookRateLimit {
  private readonly logger = new Logger(WebhookRateLimit.name);
  private readonly perMinute: number;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(ConfigService) config: ConfigService<AutomationEnv, true>,
  ) {
    this.perMinute = config.get('WEBHOOK_RATE_LIMIT_PER_MINUTE', { infer: true });
  }

  /** Seconds until the token may send again, or 0 when this signal is within the limit. */
  async retryAfterSeconds(tokenHash: string, now = Date.now()): Promise<number> {
    const minute = Math.floor(now / 60_000);
    const key = `automation:webhook-rate:${tokenHash}:${minute}`;
    try {
      const [[, count]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) as [[null, number]];
      return count > this.perMinute ? Math.ceil(((minute + 1) * 60_000 - now) / 1000) : 0;
    } catch (error) {
      this.logger.warn(`webhook rate limit not checked, Redis failed: ${(error as Error).message}`);
      return 0;
    }
  }

  get limitPerMinute(): number {
    return this.perMinute;
  }
}
