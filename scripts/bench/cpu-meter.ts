import { performance } from 'node:perf_hooks';
import type { CpuSnapshot } from './cpu-accounting';

/** Milliseconds of CPU per operation, per part of the suite and in total. */
export type CpuCost = Record<string, number>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Charges an operation with all the CPU it causes, not only what is spent while the load runs:
 * each measurement starts and ends with the suite settled (outbox relays, consumers and the trace
 * drained), and the suite's idle CPU over that time is subtracted. So a later run never pays for
 * an earlier run's backlog, and latency figures start from a quiet suite.
 */
export class CpuMeter {
  private idlePerSecond: CpuSnapshot = {};

  constructor(private readonly read: () => Promise<CpuSnapshot>) {}

  /** The suite's CPU per second per part while nothing is asked of it. */
  async calibrate(seconds = 3): Promise<void> {
    const before = await this.read();
    await pause(seconds * 1000);
    const after = await this.read();
    this.idlePerSecond = Object.fromEntries(
      Object.entries(after).map(([part, used]) => [part, Math.max(0, used - (before[part] ?? 0)) / seconds]),
    );
  }

  /** Waits until one second's CPU is within `marginMs` of idle, at most `timeoutMs`; returns whether it got there. */
  async settle(marginMs = 150, timeoutMs = 60_000): Promise<boolean> {
    const idleMs = Object.values(this.idlePerSecond).reduce((sum, seconds) => sum + seconds * 1000, 0);
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const before = await this.read();
      await pause(1000);
      const used = total(await this.read()) - total(before);
      if (used * 1000 <= idleMs + marginMs) return true;
    }
    return false;
  }

  /** Runs `work` between two settled points; its cost is the CPU above idle divided by `operationsOf(result)`. */
  async measure<T>(
    work: () => Promise<T>,
    operationsOf: (result: T) => number,
  ): Promise<{ result: T; cpu: CpuCost }> {
    await this.settle();
    const before = await this.read();
    const started = performance.now();
    const result = await work();
    await this.settle();
    const after = await this.read();
    const seconds = (performance.now() - started) / 1000;
    const operations = Math.max(1, operationsOf(result));
    const perPart: CpuCost = {};
    for (const [part, used] of Object.entries(after)) {
      const busy = used - (before[part] ?? 0) - (this.idlePerSecond[part] ?? 0) * seconds;
      perPart[part] = (Math.max(0, busy) * 1000) / operations;
    }
    const cpu = { total: Object.values(perPart).reduce((sum, ms) => sum + ms, 0), ...perPart };
    return { result, cpu };
  }
}

function total(snapshot: CpuSnapshot): number {
  return Object.values(snapshot).reduce((sum, seconds) => sum + seconds, 0);
}
