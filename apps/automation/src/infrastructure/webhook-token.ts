import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes: unguessable, and short enough to paste into an alerting tool's URL field. */
export function newWebhookToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashOfToken(token) };
}

/** Only this is stored, so neither a database dump nor the event store can trade on someone's behalf. */
export function hashOfToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
