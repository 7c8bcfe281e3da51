import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { EventingRuntime } from '../nest/eventing.runtime';

@Injectable()
export class ConsumersHealthIndicator {
  constructor(
    @Inject(EventingRuntime) private readonly runtime: EventingRuntime,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult {
    const indicator = this.health.check('consumers');
    const groups = this.runtime
      .consumers()
      .map(({ group, topics, consumer }) => ({ group, topics, running: consumer.running }));
    const stopped = groups.filter((group) => !group.running).map((group) => group.group);
    return stopped.length > 0
      ? indicator.down({ message: `not running: ${stopped.join(', ')}`, groups })
      : indicator.up({ groups });
  }
}
