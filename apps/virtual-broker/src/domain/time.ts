import { DomainError } from '@tradecore/eventing/domain';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Milliseconds since the epoch of an ISO-8601 UTC timestamp carried by a command. */
export function toMillis(timestamp: string, field: string): number {
  const millis = ISO_UTC.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new DomainError(
      'INVALID_TIMESTAMP',
      `${field} must be an ISO-8601 UTC timestamp such as 2026-01-02T15:04:05Z, got "${timestamp}"`,
    );
  }
  return millis;
}
