import { InvalidConfigurationError } from '@tradecore/eventing/nest';

export const TOKEN_LIFETIME_MS = Symbol('TOKEN_LIFETIME_MS');

type Lookup = (name: string) => string | undefined;

/**
 * ACCESS_TOKEN_TTL_SECONDS, the lifetime user-account gives access tokens: how long each service
 * remembers a revocation and how far back it reads them at start-up. Set it alike everywhere.
 */
export function loadTokenLifetimeMs(lookup: Lookup): number {
  const raw = lookup('ACCESS_TOKEN_TTL_SECONDS') ?? '900';
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 30 || seconds > 86_400) {
    throw new InvalidConfigurationError([
      `ACCESS_TOKEN_TTL_SECONDS must be an integer between 30 and 86400 (got ${raw})`,
    ]);
  }
  return seconds * 1000;
}
