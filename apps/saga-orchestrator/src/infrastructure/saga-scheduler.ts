import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SagaEngine } from '../engine/saga-engine';
import type { SagaOrchestratorEnv } from '../saga-orchestrator.env';

/** Fires passed deadlines and keeps aggregate locks alive; every replica runs it, row locks keep them apart. */
@Injectable()
export class SagaScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SagaScheduler');
  private readonly timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    @Inject(SagaEngine) private readonly engine: SagaEngine,
    @Inject(ConfigService) private readonly config: ConfigService<SagaOrchestratorEnv, true>,
  ) {}

  onApplicationBootstrap(): void {
    const poll = this.config.get('SAGA_DEADLINE_POLL_MS', { infer: true });
    const lockTtl = this.config.get('SAGA_LOCK_TTL_MS', { infer: true });
    this.every(0, poll, async () => {
      while (!this.stopped && (await this.engine.fireNextDeadline()));
    });
    this.every(1, Math.max(200, Math.floor(lockTtl / 3)), () => this.engine.maintainLocks());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearTimeout);
    await Promise.allSettled([...this.running]);
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
