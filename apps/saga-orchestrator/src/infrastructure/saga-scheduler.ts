import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type BackgroundWork, LoopHeartbeats, RunsInWorkers } from '@tradecore/eventing/nest';
import { SagaEngine } from '../engine/saga-engine';
import type { SagaOrchestratorEnv } from '../saga-orchestrator.env';

/**
 * Fires passed deadlines and keeps aggregate locks alive; every replica runs it, row locks keep
 * them apart. A failed tick (PostgreSQL or Redis away) is logged and the next one comes on time;
 * each unit of work beats its heartbeat, so liveness sees a tick that never ends.
 */
@Injectable()
@RunsInWorkers()
export class SagaScheduler implements BackgroundWork, OnApplicationShutdown {
  private readonly logger = new Logger('SagaScheduler');
  private readonly timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    @Inject(SagaEngine) private readonly engine: SagaEngine,
    @Inject(ConfigService) private readonly config: ConfigService<SagaOrchestratorEnv, true>,
    @Inject(LoopHeartbeats) private readonly heartbeats: LoopHeartbeats,
  ) {}

  start(): void {
    const poll = this.config.get('SAGA_DEADLINE_POLL_MS', { infer: true });
    const lockTtl = this.config.get('SAGA_LOCK_TTL_MS', { infer: true });
    const deadlines = this.heartbeats.of('saga-deadlines');
    this.every(0, poll, async () => {
      while (!this.stopped && (await deadlines.around(() => this.engine.fireNextDeadline())));
    });
    const locks = this.heartbeats.of('saga-locks');
    this.every(1, Math.max(200, Math.floor(lockTtl / 3)), () =>
      locks.around(() => this.engine.maintainLocks()),
    );
  }

  /** Waits for the tick in flight, but no longer than a query may take: a stuck one is abandoned. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearTimeout);
    const bound = new Promise((resolve) =>
      setTimeout(resolve, this.config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }) / 2).unref(),
    );
    await Promise.race([Promise.allSettled([...this.running]), bound]);
  }

  private every(slot: number, intervalMs: number, work: () => Promise<void>): void {
    const tick = async () => {
      const run = work().catch((error: unknown) =>
        this.logger.warn(`saga scheduler: ${(error as Error).message}`),
      );
      this.running.add(run);
      await run;
      this.running.delete(run);
      if (!this.stopped) this.timers[slot] = setTimeout(tick, intervalMs);
    };
    this.timers[slot] = setTimeout(tick, intervalMs);
  }
}
