import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { messageOf, withTimeout } from './with-timeout';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  async check(timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('redis');
    try {
      const answer = await withTimeout(this.redis.ping(), timeoutMs, 'Redis');
      return answer === 'PONG' ? indicator.up() : indicator.down({ message: `PING answered ${answer}` });
    } catch (error) {
      return indicator.down({ message: messageOf(error) });
    }
  }
}
