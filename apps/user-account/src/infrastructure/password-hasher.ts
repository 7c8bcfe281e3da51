import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/** argon2id with the library's defaults (OWASP's recommended floor), so parameters live in the hash. */
@Injectable()
export class PasswordHasher {
  // Verified when the email is unknown, so a miss costs as long as a wrong password.
  private readonly decoy = argon2.hash('decoy-password-for-unknown-accounts');

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      await argon2.verify(await this.decoy, password);
      return false;
    }
    return argon2.verify(hash, password);
  }
}
