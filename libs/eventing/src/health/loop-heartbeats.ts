/**
 * One background loop's progress. A loop marks each unit of work it starts (a relay pass, a
 * scheduler tick, a wake-up NOTIFY) and its end; waiting between units is not work. A unit that
 * has not ended within the stall bound means the loop is stuck, which only a restart can cure.
 */
export class LoopHeartbeat {
  private lastProgress = Date.now();
  private seq = 0;
  private readonly started = new Map<number, number>();

  constructor(readonly name: string) {}

  /** Starts a unit of work; call the returned function when it ends, however it ends. */
  begin(): () => void {
    const id = (this.seq += 1);
    this.started.set(id, Date.now());
    return () => {
      if (!this.started.delete(id)) return;
      this.lastProgress = Date.now();
    };
  }

  /** Runs one unit of work under this heartbeat. */
  async around<T>(work: () => Promise<T>): Promise<T> {
    const done = this.begin();
    try {
      return await work();
    } finally {
      done();
    }
  }

  /** How long the oldest unfinished unit of work has run (0 when idle). */
  busyForMs(now = Date.now()): number {
    let oldest = now;
    for (const at of this.started.values()) oldest = Math.min(oldest, at);
    return now - oldest;
  }

  /** When a unit of work last ended. */
  get lastProgressAt(): Date {
    return new Date(this.lastProgress);
  }
}

export interface StalledLoop {
  readonly loop: string;
  readonly busyForMs: number;
  readonly lastProgressAt: string;
}

/** Every background loop of the process, for the liveness probe. */
export class LoopHeartbeats {
  private readonly loops = new Map<string, LoopHeartbeat>();

  constructor(readonly stallMs: number) {}

  /** The heartbeat named `name`, created on first use, so a loop restarted after a failure keeps its name. */
  of(name: string): LoopHeartbeat {
    const existing = this.loops.get(name);
    if (existing) return existing;
    const heartbeat = new LoopHeartbeat(name);
    this.loops.set(name, heartbeat);
    return heartbeat;
  }

  stalled(now = Date.now()): StalledLoop[] {
    return [...this.loops.values()]
      .filter((heartbeat) => heartbeat.busyForMs(now) > this.stallMs)
      .map((heartbeat) => ({
        loop: heartbeat.name,
        busyForMs: heartbeat.busyForMs(now),
        lastProgressAt: heartbeat.lastProgressAt.toISOString(),
      }));
  }

  names(): string[] {
    return [...this.loops.keys()];
  }
}
