const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the probe yields a value other than undefined; `timeoutMs` Infinity leaves the limit
 * to the test's own timeout. A probe that throws counts as not yet (a service may still be
 * starting); past the deadline its last error, if any, is what fails.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline)
      throw failure instanceof Error ? failure : new Error('condition not met in time');
    await pause(intervalMs);
  }
}
