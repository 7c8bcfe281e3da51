import type { Scheduler } from '../../src/groups/scheduler';

/** Test support: a clock that only moves when a test advances it, so timeouts are deterministic. */
export class FakeScheduler implements Scheduler {
  private now = 0;
  private sequence = 0;
  private readonly timers = new Map<number, { readonly at: number; readonly callback: () => void }>();

  schedule(delayMs: number, callback: () => void): () => void {
    const id = this.sequence++;
    this.timers.set(id, { at: this.now + delayMs, callback });
    return () => this.timers.delete(id);
  }

  /** Moves time forward, firing due timers in deadline order (including ones they schedule). */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers]
        .filter(([, timer]) => timer.at <= until)
        .sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}
