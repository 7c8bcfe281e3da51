/**
 * Runs work one at a time per key, in arrival order, and different keys side by side: commands on
 * one aggregate wait for each other inside a process instead of racing for the same version.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running, for tests and gauges. */
  get busyKeys(): number {
    return this.tails.size;
  }
}
