const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the probe yields a value other than undefined or false; `timeoutMs` Infinity leaves
 * the limit to the test's own timeout. A probe that throws counts as not yet (a service may still be
 * starting); past the deadline the error names the limit and the probe's last error, if any.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) {
      const reason = failure instanceof Error ? `: ${failure.message}` : '';
      throw new Error(`not within ${timeoutMs} ms${reason}`, { cause: failure });
    }
    await pause(intervalMs);
  }
}
