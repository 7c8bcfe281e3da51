import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type BackgroundWork, LoopHeartbeat, LoopHeartbeats, RunsInWorkers } from '@tradecore/eventing/nest';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import { AccessTokens } from '../../infrastructure/upkeep/access-tokens';
import { ConnectionHealthMonitor } from './connection-health-monitor';

/**
 * Every replica ticks; the rows decide who works. Tokens expiring within
 * ACCESS_TOKEN_REFRESH_LEAD_MS are refreshed, then the due health checks run. Everything it
 * needs is in PostgreSQL, so a restart picks up where the last tick left off.
 */
@Injectable()
@RunsInWorkers()
export class UpkeepScheduler implements BackgroundWork, OnModuleDestroy {
  private readonly logger = new Logger(UpkeepScheduler.name);
  private readonly heartbeat: LoopHeartbeat;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(ConnectionHealthMonitor) private readonly monitor: ConnectionHealthMonitor,
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
    @Inject(LoopHeartbeats) heartbeats: LoopHeartbeats,
  ) {
    this.heartbeat = heartbeats.of('connection-upkeep');
  }

  start(): void {
    this.scheduleNext();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One pass of both duties; exposed so a test can run replicas' passes side by side. */
  async tick(): Promise<void> {
    await this.heartbeat.around(async () => {
      await this.tokens.refreshExpiring(this.config.get('ACCESS_TOKEN_REFRESH_LEAD_MS', { infer: true }));
      await this.monitor.checkDue();
    });
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const tickMs = this.config.get('UPKEEP_TICK_MS', { infer: true });
    this.timer = setTimeout(() => void this.run(), tickMs * (0.9 + Math.random() * 0.2));
  }

  private async run(): Promise<void> {
    try {
      await this.tick();
    } catch (error) {
      if (!this.stopped) this.logger.warn(`connection upkeep pass failed: ${(error as Error).message}`);
    }
    this.scheduleNext();
  }
}
