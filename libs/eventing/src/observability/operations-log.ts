import { performance } from 'node:perf_hooks';

/** The part of a pino logger the eventing mechanism writes its own lines with (retries, dead letters, slow work). */
export interface OperationsLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export type SlowOperationKind = 'command' | 'query' | 'handler';

const DEFAULT_SLOW_OPERATION_MS = 1000;
let logger: OperationsLogger | undefined;
let slowOperationMs = DEFAULT_SLOW_OPERATION_MS;

/**
 * Set once per process with the service's root logger (its mixin adds the message context to
 * every line). Unset, as in a bare library use, the mechanism writes no lines of its own.
 */
export function configureOperationsLog(options: {
  logger: OperationsLogger;
  slowOperationMs?: number;
}): void {
  logger = options.logger;
  slowOperationMs = options.slowOperationMs ?? DEFAULT_SLOW_OPERATION_MS;
}

export function operationsLog(): OperationsLogger | undefined {
  return logger;
}

export const slowOperationThresholdMs = (): number => slowOperationMs;

/** Runs the work and warns, in the context it ran in, when it took longer than SLOW_OPERATION_MS. */
export async function warnIfSlow<T>(
  kind: SlowOperationKind,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const durationMs = Math.round(performance.now() - started);
    if (durationMs > slowOperationMs)
      logger?.warn(
        { operation: kind, name, durationMs, thresholdMs: slowOperationMs },
        `slow ${kind}: ${name} took ${durationMs} ms`,
      );
  }
}
