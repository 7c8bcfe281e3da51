export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly reps: readonly number[];
}

/** The median of the repetitions, with the smallest and largest beside it. */
export function spread(reps: readonly number[]): Spread {
  return { median: percentile(reps, 50), min: Math.min(...reps), max: Math.max(...reps), reps };
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
