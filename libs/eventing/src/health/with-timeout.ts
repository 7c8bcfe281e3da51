/** A readiness probe must answer even when a dependency hangs instead of failing. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Waits for `work` at most `ms`; 'late' when it had not settled by then (it is not cancelled). */
export async function settlesWithin(
  work: Promise<unknown> | undefined,
  ms: number,
): Promise<'settled' | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const settled = Promise.resolve(work).then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  const outcome = await Promise.race([settled, late]);
  clearTimeout(timer);
  return outcome;
}
