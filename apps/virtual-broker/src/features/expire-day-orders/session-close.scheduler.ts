import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { exponentialDelay } from '@tradecore/eventing';
import { type BackgroundWork, LoopHeartbeat, LoopHeartbeats, RunsInWorkers } from '@tradecore/eventing/nest';
import type { VirtualBrokerEnv } from '../../virtual-broker.env';
import { ExpireDayOrdersCommand } from './expire-day-orders.handler';

const RETRY = { initialDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * The paper market closes once a day at SESSION_CLOSE_UTC, when DAY orders expire. A close that
 * fails (PostgreSQL away) is tried again until it succeeds: DAY orders must not outlive their day.
 */
@Injectable()
@RunsInWorkers()
export class SessionCloseScheduler implements BackgroundWork, OnModuleDestroy {
  private readonly logger = new Logger(SessionCloseScheduler.name);
  private readonly heartbeat: LoopHeartbeat;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService<VirtualBrokerEnv, true>,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(LoopHeartbeats) heartbeats: LoopHeartbeats,
  ) {
    this.heartbeat = heartbeats.of('session-close');
  }

  start(): void {
    this.scheduleNext();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private scheduleNext(): void {
    const close = this.config.get('SESSION_CLOSE_UTC', { infer: true });
    if (close === 'off' || this.stopped) return;
    const next = nextClose(close, new Date());
    this.timer = setTimeout(() => void this.closeSession(next, 1), next.getTime() - Date.now());
  }

  private async closeSession(at: Date, attempt: number): Promise<void> {
    try {
      const { expiredOrderIds } = await this.heartbeat.around(() =>
        this.commandBus.execute(new ExpireDayOrdersCommand(at.toISOString())),
      );
      this.logger.log(`session closed at ${at.toISOString()}: ${expiredOrderIds.length} DAY orders expired`);
      this.scheduleNext();
    } catch (error) {
      if (this.stopped) return;
      const retryMs = exponentialDelay(attempt, RETRY);
      this.logger.warn(
        `closing the session of ${at.toISOString()} failed, retrying in ${retryMs} ms: ${(error as Error).message}`,
      );
      this.timer = setTimeout(() => void this.closeSession(at, attempt + 1), retryMs);
    }
  }
}

export function nextClose(hhmm: string, now: Date): Date {
  const [hours, minutes] = hhmm.split(':').map(Number);
  const close = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes));
  if (close.getTime() <= now.getTime()) close.setUTCDate(close.getUTCDate() + 1);
  return close;
}
