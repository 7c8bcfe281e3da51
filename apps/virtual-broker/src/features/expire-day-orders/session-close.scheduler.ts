import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import type { VirtualBrokerEnv } from '../../virtual-broker.env';
import { ExpireDayOrdersCommand } from './expire-day-orders.handler';

/** The paper market closes once a day at SESSION_CLOSE_UTC, when DAY orders expire. */
@Injectable()
export class SessionCloseScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SessionCloseScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService<VirtualBrokerEnv, true>,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduleNext();
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
  }

  private scheduleNext(): void {
    const close = this.config.get('SESSION_CLOSE_UTC', { infer: true });
    if (close === 'off') return;
    const next = nextClose(close, new Date());
    this.timer = setTimeout(async () => {
      const { expiredOrderIds } = await this.commandBus.execute(
        new ExpireDayOrdersCommand(next.toISOString()),
      );
      this.logger.log(
        `session closed at ${next.toISOString()}: ${expiredOrderIds.length} DAY orders expired`,
      );
      this.scheduleNext();
    }, next.getTime() - Date.now());
  }
}

export function nextClose(hhmm: string, now: Date): Date {
  const [hours, minutes] = hhmm.split(':').map(Number);
  const close = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes));
  if (close.getTime() <= now.getTime()) close.setUTCDate(close.getUTCDate() + 1);
  return close;
}
