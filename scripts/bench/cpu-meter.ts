import { performance } from 'node:perf_hooks';
import { type CpuSnapshot, partOf } from './cpu-accounting';

/** Milliseconds of CPU per operation, per part of the suite and in total. */
export type CpuCost = Record<string, number>;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const SAMPLE_EVERY_MS = 500;

/**
 * Charges an operation with all the CPU it causes, not only what is spent while the load runs:
 * each measurement starts and ends with the suite settled (outbox relays, consumers and the trace
 * drained), and the suite's idle CPU over that time is subtracted. So a later run never pays for
 * an earlier run's backlog, and latency figures start from a quiet suite. Processes are sampled
 * every half second, so a PostgreSQL backend that a pool closes mid-run keeps what it used.
 */
export class CpuMeter {
  private idlePerSecond: Record<string, number> = {};

  constructor(private readonly read: () => Promise<CpuSnapshot>) {}

  /** The suite's CPU per second per part while nothing is asked of it, averaged over `seconds`. */
  async calibrate(seconds: number): Promise<void> {
    const used = await this.usedWhile(() => pause(seconds * 1000));
    this.idlePerSecond = Object.fromEntries(
      Object.entries(used.perPart).map(([part, s]) => [part, s / seconds]),
    );
  }

  /** Waits until one second's CPU is within `marginMs` of idle, at most `timeoutMs`; returns whether it got there. */
  async settle(marginMs = 150, timeoutMs = 60_000): Promise<boolean> {
    const idleMs = Object.values(this.idlePerSecond).reduce((sum, seconds) => sum + seconds * 1000, 0);
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const { perPart } = await this.usedWhile(() => pause(1000));
      const usedMs = Object.values(perPart).reduce((sum, seconds) => sum + seconds * 1000, 0);
      if (usedMs <= idleMs + marginMs) return true;
    }
    return false;
  }

  /** Runs `work` between two settled points; its cost is the CPU above idle divided by `operationsOf(result)`. */
  async measure<T>(
    work: () => Promise<T>,
    operationsOf: (result: T) => number,
  ): Promise<{ result: T; cpu: CpuCost }> {
    await this.settle();
    let result!: T;
    const used = await this.usedWhile(async () => {
      result = await work();
      await this.settle();
    });
    const operations = Math.max(1, operationsOf(result));
    const perPart: CpuCost = {};
    for (const [part, seconds] of Object.entries(used.perPart)) {
      const busy = seconds - (this.idlePerSecond[part] ?? 0) * used.seconds;
      perPart[part] = (Math.max(0, busy) * 1000) / operations;
    }
    return { result, cpu: { total: Object.values(perPart).reduce((sum, ms) => sum + ms, 0), ...perPart } };
  }

  /** CPU seconds per part used while `work` runs, and how long it ran. */
  private async usedWhile(
    work: () => Promise<void>,
  ): Promise<{ perPart: Record<string, number>; seconds: number }> {
    const first = await this.read();
    const last: CpuSnapshot = { ...first };
    let running = true;
    const sampling = (async () => {
      while (running) {
        await pause(SAMPLE_EVERY_MS);
        Object.assign(last, await this.read());
      }
    })();
    const started = performance.now();
    try {
      await work();
    } finally {
      running = false;
      await sampling;
    }
    Object.assign(last, await this.read());
    const seconds = (performance.now() - started) / 1000;
    const perPart: Record<string, number> = {};
    for (const [key, value] of Object.entries(last)) {
      const part = partOf(key);
      perPart[part] = (perPart[part] ?? 0) + Math.max(0, value - (first[key] ?? 0));
    }
    return { perPart, seconds };
  }
}
