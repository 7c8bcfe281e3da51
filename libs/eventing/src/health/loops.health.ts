import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { LoopHeartbeats } from './loop-heartbeats';

/**
 * Down when a background loop (relay, notifier, consumer, scheduler) has been inside one unit of
 * work for longer than HEALTH_LOOP_STALL_MS. Every wait on PostgreSQL, Redis and Kafka is bounded,
 * so an outage makes loops fail and retry, never stall: a stalled loop is a bug only a restart cures.
 */
@Injectable()
export class LoopsHealthIndicator {
  constructor(
    @Inject(LoopHeartbeats) private readonly heartbeats: LoopHeartbeats,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult {
    const indicator = this.health.check('loops');
    const stalled = this.heartbeats.stalled();
    if (stalled.length === 0) return indicator.up({ loops: this.heartbeats.names() });
    const which = stalled.map((loop) => `${loop.loop} (${Math.round(loop.busyForMs / 1000)} s)`).join(', ');
    return indicator.down({
      message: `stuck for more than ${this.heartbeats.stallMs / 1000} s: ${which}`,
      stalled,
    });
  }
}
