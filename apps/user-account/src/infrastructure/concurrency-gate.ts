/** Why the gate turned work away; in either case the work was never started. */
export type GateRefusal = 'queue-full' | 'wait-expired';

export class GateRefusedError extends Error {
  constructor(readonly reason: GateRefusal) {
    super(reason === 'queue-full' ? 'too much work already waiting' : 'the work waited too long to start');
    this.name = 'GateRefusedError';
  }
}

export interface GateLimits {
  /** Tasks running at once. */
  readonly concurrency: number;
  /** Tasks waiting for a turn at once; one more is refused straight away. */
  readonly queueLimit: number;
  /** Longest a task waits for its turn before it is refused. */
  readonly maxWaitMs: number;
}

interface Waiter {
  readonly start: () => void;
}

/**
 * Runs at most `concurrency` tasks at once, lets at most `queueLimit` more wait, each for at most
 * `maxWaitMs`, in arrival order. Work that cannot start in time is refused before it starts, so a
 * caller still has time to say "come back later" instead of leaving its own caller to time out.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limits: GateLimits) {}

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.turn();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private turn(): Promise<void> {
    if (this.running < this.limits.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.queueLimit) {
      return Promise.reject(new GateRefusedError('queue-full'));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(expiry);
          resolve();
        },
      };
      const expiry = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new GateRefusedError('wait-expired'));
      }, this.limits.maxWaitMs);
      this.waiting.push(waiter);
    });
  }

  // A finished task hands its slot straight to the longest waiter, so no newcomer can jump the queue.
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running--;
  }
}
