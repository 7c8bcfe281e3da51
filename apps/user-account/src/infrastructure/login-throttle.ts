import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { UserAccountEnv } from '../user-account.env';

type Scope = 'account' | 'address';

/**
 * Fixed-window counters in Redis, shared by every replica: password guesses per account (so
 * guessing one password is slow) and all login attempts per client address (so spraying
 * many accounts from one place is slow too). Emails are hashed: no personal data in Redis.
 *
 * A guess is counted before the password is checked, in the same transaction that reads the
 * count: parallel guesses each take their own slot, so no more than the limit are ever checked.
 * A right password clears the account's count; a wrong one leaves its slot taken. An attempt
 * refused for load (503) before its password was checked gives its slots back: the limits count
 * passwords checked, and a user retrying through a burst must not lock themselves out.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(ConfigService) private readonly config: ConfigService<UserAccountEnv, true>,
  ) {}

  /** Reserves a login attempt for the address, then a guess for the account, or refuses with 429. */
  async admitLogin(email: string, address: string): Promise<void> {
    // An address already refused takes no guesses from the accounts it names.
    const [addressCount, addressTtl] = await this.take(`user-account:login:address:${address}`);
    if (addressCount > this.config.get('LOGIN_MAX_ATTEMPTS_PER_ADDRESS', { infer: true })) {
      throw tooManyAttempts('TOO_MANY_LOGIN_ATTEMPTS', 'address', addressTtl);
    }
    const [guesses, guessesTtl] = await this.take(this.accountKey(email));
    if (guesses > this.maxGuesses()) throw tooManyAttempts('TOO_MANY_LOGIN_ATTEMPTS', 'account', guessesTtl);
  }

  /** Reserves a guess at the current password in a password change; logins and changes share the account's count. */
  async admitPasswordCheck(email: string): Promise<void> {
    const [count, ttl] = await this.take(this.accountKey(email));
    if (count > this.maxGuesses()) throw tooManyAttempts('TOO_MANY_PASSWORD_ATTEMPTS', 'account', ttl);
  }

  /** The attempt was turned away before its password was checked (503): it spent no guess, so it takes no slot. */
  async giveBackLogin(email: string, address: string): Promise<void> {
    await this.giveBack(this.accountKey(email), `user-account:login:address:${address}`);
  }

  async giveBackPasswordCheck(email: string): Promise<void> {
    await this.giveBack(this.accountKey(email));
  }

  /** The password was right: earlier wrong guesses no longer count against the account. */
  async clearGuesses(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  /** One more in the key's window (starting the window if needed), counted atomically: the new count and the ms left. */
  private async take(key: string): Promise<[count: number, remainingMs: number]> {
    const windowMs = this.config.get('LOGIN_THROTTLE_WINDOW_SECONDS', { infer: true }) * 1000;
    const results = (await this.redis.multi().incr(key).pexpire(key, windowMs, 'NX').pttl(key).exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
    return [Number(results[0]?.[1]), Number(results[2]?.[1])];
  }

  // Never below zero nor onto a key whose window ended (or a right password cleared): no window without expiry.
  // One key per script, so the keys may live on different nodes of a Redis cluster.
  private async giveBack(...keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.redis.eval(GIVE_BACK, 1, key)));
  }

  private maxGuesses(): number {
    return this.config.get('LOGIN_MAX_FAILURES_PER_ACCOUNT', { infer: true });
  }

  private accountKey(email: string): string {
    return `user-account:login:account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
  }
}

const GIVE_BACK = `if tonumber(redis.call('get', KEYS[1]) or '0') > 0 then redis.call('decr', KEYS[1]) end`;

function tooManyAttempts(code: string, scope: Scope, remainingMs: number): HttpException {
  const retryAfterSeconds = Math.max(1, Math.ceil(remainingMs / 1000));
  const what = code === 'TOO_MANY_PASSWORD_ATTEMPTS' ? 'wrong passwords' : 'login attempts';
  return new HttpException(
    {
      code,
      message: `Too many ${what} for this ${scope}; try again in ${retryAfterSeconds} seconds`,
      details: { scope, retryAfterSeconds },
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
