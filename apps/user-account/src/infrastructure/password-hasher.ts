import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import argon2 from 'argon2';
import type { UserAccountEnv } from '../user-account.env';
import { ConcurrencyGate, GateRefusedError } from './concurrency-gate';

/**
 * argon2id with the library's defaults (OWASP's recommended floor), so parameters live in the hash.
 * Each hash costs tens of MiB and a core for a good fraction of a second, so a burst of sign-ups
 * and logins goes through a gate: what cannot start within PASSWORD_HASH_MAX_WAIT_MS is refused
 * with 503 and Retry-After before anything is stored, instead of queuing until the gateway gives up.
 */
@Injectable()
export class PasswordHasher {
  private readonly logger = new Logger(PasswordHasher.name);
  private readonly gate: ConcurrencyGate;
  private readonly retryAfterSeconds: number;
  // Verified when the email is unknown, so a miss costs as long as a wrong password.
  private readonly decoy = argon2.hash('decoy-password-for-unknown-accounts');

  constructor(@Inject(ConfigService) config: ConfigService<UserAccountEnv, true>) {
    this.gate = new ConcurrencyGate({
      concurrency: config.get('PASSWORD_HASH_CONCURRENCY', { infer: true }),
      queueLimit: config.get('PASSWORD_HASH_QUEUE_LIMIT', { infer: true }),
      maxWaitMs: config.get('PASSWORD_HASH_MAX_WAIT_MS', { infer: true }),
    });
    // By then the gate has had as long as the longest wait it allows to work off its queue.
    this.retryAfterSeconds = Math.max(1, Math.ceil(this.gate.limits.maxWaitMs / 1000));
  }

  hash(password: string): Promise<string> {
    return this.gated(() => argon2.hash(password, { type: argon2.argon2id }));
  }

  verify(hash: string | null | undefined, password: string): Promise<boolean> {
    return this.gated(async () => {
      if (!hash) {
        await argon2.verify(await this.decoy, password);
        return false;
      }
      return argon2.verify(hash, password);
    });
  }

  private async gated<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(work);
    } catch (error) {
      if (!(error instanceof GateRefusedError)) throw error;
      const { running, waiting } = this.gate.load;
      this.logger.warn(`Password check refused (${error.reason}): ${running} running, ${waiting} waiting`);
      throw new HashingOverloadedException(this.retryAfterSeconds);
    }
  }
}

/** 503 with Retry-After: the password was neither hashed nor checked, nothing was stored. */
export class HashingOverloadedException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super(
      {
        code: 'SERVICE_OVERLOADED',
        message: `Too many sign-ups and logins are being checked right now; try again in ${retryAfterSeconds} seconds`,
        details: { retryAfterSeconds },
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
