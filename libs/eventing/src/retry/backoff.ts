export interface BackoffPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RetryPolicy extends BackoffPolicy {
  /** Tries in total before the message is dead-lettered. */
  readonly attempts: number;
}

/** Exponential delay for the given 1-based attempt, capped. */
export function exponentialDelay(attempt: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** "Full jitter" (AWS architecture blog): spreads retries of many consumers over the whole window. */
export function fullJitterDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * exponentialDelay(attempt, policy));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
