import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { UserAccountEnv } from '../user-account.env';

/**
 * Fixed-window counters in Redis, shared by every replica: failed logins per account (so
 * guessing one password is slow) and all login attempts per client address (so spraying
 * many accounts from one place is slow too). Emails are hashed: no personal data in Redis.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(ConfigService) private readonly config: ConfigService<UserAccountEnv, true>,
  ) {}

  /** Counts this attempt against the address, then refuses it if either limit is reached. */
  async admit(email: string, address: string): Promise<void> {
    const windowMs = this.config.get('LOGIN_THROTTLE_WINDOW_SECONDS', { infer: true }) * 1000;
    const addressKey = `user-account:login:address:${address}`;
    const accountKey = this.accountKey(email);
    const results = await this.redis
      .multi()
      .incr(addressKey)
      .pexpire(addressKey, windowMs, 'NX')
      .pttl(addressKey)
      .get(accountKey)
      .pttl(accountKey)
      .exec();
    const value = (index: number) => Number(results?.[index]?.[1] ?? 0);
    if (value(0) > this.config.get('LOGIN_MAX_ATTEMPTS_PER_ADDRESS', { infer: true })) {
      throw tooManyAttempts('address', value(2));
    }
    if (value(3) >= this.config.get('LOGIN_MAX_FAILURES_PER_ACCOUNT', { infer: true })) {
      throw tooManyAttempts('account', value(4));
    }
  }

  async recordFailure(email: string): Promise<void> {
    const key = this.accountKey(email);
    const windowMs = this.config.get('LOGIN_THROTTLE_WINDOW_SECONDS', { infer: true }) * 1000;
    await this.redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec();
  }

  async clearFailures(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  private accountKey(email: string): string {
    return `user-account:login:account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
  }
}

function tooManyAttempts(scope: 'account' | 'address', remainingMs: number): HttpException {
  const retryAfterSeconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return new HttpException(
    {
      code: 'TOO_MANY_LOGIN_ATTEMPTS',
      message: `Too many login attempts for this ${scope}; try again in ${retryAfterSeconds} seconds`,
      details: { scope, retryAfterSeconds },
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
