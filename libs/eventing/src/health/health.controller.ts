import { Controller, Get, Inject, Optional, SetMetadata } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { EventingEnv } from '../config/eventing.env';
import { ConsumersHealthIndicator } from './consumers.health';
import { DatabaseHealthIndicator } from './database.health';
import { KafkaHealthIndicator } from './kafka.health';
import { LoopsHealthIndicator } from './loops.health';
import { OutboxHealthIndicator } from './outbox.health';
import { ProjectionsHealthIndicator } from './projections.health';
import { RedisHealthIndicator } from './redis.health';
import { ProcessRole, ServedByWorkers } from '../nest/process-role';
import { PUBLIC_ROUTE } from '../nest/public-route';

@Controller('health')
@SetMetadata(PUBLIC_ROUTE, true)
@ServedByWorkers()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(ConfigService) private readonly config: ConfigService<EventingEnv, true>,
    @Inject(DatabaseHealthIndicator) private readonly database: DatabaseHealthIndicator,
    @Inject(KafkaHealthIndicator) private readonly kafka: KafkaHealthIndicator,
    @Inject(OutboxHealthIndicator) private readonly outbox: OutboxHealthIndicator,
    @Inject(ConsumersHealthIndicator) private readonly consumers: ConsumersHealthIndicator,
    @Inject(LoopsHealthIndicator) private readonly loops: LoopsHealthIndicator,
    @Inject(ProjectionsHealthIndicator) private readonly projections: ProjectionsHealthIndicator,
    @Inject(ProcessRole) private readonly role: ProcessRole,
    @Optional() @Inject(RedisHealthIndicator) private readonly redis?: RedisHealthIndicator,
  ) {}

  /** The process answers and no background loop is stuck; a failing dependency must not get the pod restarted. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.loops.check()]);
  }

  /** What this process's role needs: an api process answers from PostgreSQL (and Redis); Kafka, the outbox and consumers are a worker's. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const timeoutMs = this.config.get('HEALTH_TIMEOUT_MS', { infer: true });
    const maxAgeMs = this.config.get('HEALTH_OUTBOX_MAX_AGE_MS', { infer: true });
    const redis = this.redis;
    return this.health.check([
      () => this.database.check(timeoutMs),
      ...(redis ? [() => redis.check(timeoutMs)] : []),
      ...(this.role.runsWorkers
        ? [
            () => this.kafka.check(timeoutMs),
            () => this.outbox.check(maxAgeMs, timeoutMs),
            () => this.consumers.check(),
            () => this.projections.check(),
          ]
        : []),
    ]);
  }
}
