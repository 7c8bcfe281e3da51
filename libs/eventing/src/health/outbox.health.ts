import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { OutboxRelay } from '../outbox/outbox-relay';
import { messageOf, withTimeout } from './with-timeout';

/** A growing oldest-row age means events are committed but never published: consumers downstream are starving. */
@Injectable()
export class OutboxHealthIndicator {
  constructor(
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  async check(maxAgeMs: number, timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('outbox');
    try {
      const { pendingRows, oldestAgeMs } = await withTimeout(
        this.relay.backlog(),
        timeoutMs,
        'outbox backlog query',
      );
      const details = {
        pendingRows,
        oldestAgeMs: Math.round(oldestAgeMs),
        maxAgeMs,
        relayRunning: this.relay.isRunning,
      };
      if (oldestAgeMs > maxAgeMs) {
        return indicator.down({
          ...details,
          message: `oldest unpublished event is ${Math.round(oldestAgeMs / 1000)} s old (limit ${maxAgeMs / 1000} s)`,
        });
      }
      return indicator.up(details);
    } catch (error) {
      return indicator.down({ message: messageOf(error) });
    }
  }
}
