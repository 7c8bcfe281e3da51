import { Controller, Get, HttpCode, Inject, Logger, Param, Post, SetMetadata } from '@nestjs/common';
import { DomainError } from '../decider/domain-error';
import { EventStore } from '../event-store/event-store';
import { REQUIRED_ROLES } from '../nest/required-roles';
import { ProjectionMonitor } from './projection-monitor';
import { projectionNamed, type StoreProjection } from './projection-registration';
import { rebuildProjection } from './rebuild-projection';
import { RebuildRuns } from './rebuild-runs';
import { RebuildInProgressError } from './rebuild-session';

/**
 * The service's own repair tools, for admins, under `/ops/projections/<service>`: the gateway routes
 * that prefix to the service it names, so no request crosses from one service to another
 * (docs/operations.md).
 */
@Controller('ops/projections')
@SetMetadata(REQUIRED_ROLES, ['admin'])
export class ProjectionOpsController {
  private readonly logger = new Logger('ProjectionRebuild');
  private readonly runs: RebuildRuns;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ProjectionMonitor) private readonly monitor: ProjectionMonitor,
  ) {
    this.runs = new RebuildRuns(store.dataSource, store.schema);
  }

  @Get(':service')
  async list(@Param('service') service: string) {
    this.ownService(service);
    const runs = await this.runs.recent(50);
    const { reports, failures } = this.monitor.latest();
    return {
      projections: (this.monitor.options.projections ?? []).map((projection) => ({
        name: projection.name,
        source: projection.source,
        tables:
          projection.source === 'event-store'
            ? projection.tables.map((table) => table.name)
            : projection.tables,
        ...(projection.source === 'kafka'
          ? { topic: projection.topic, consumerGroup: projection.consumerGroup }
          : {
              drift: reports.find((report) => report.projection === projection.name) ?? null,
              driftCheckFailed: failures[projection.name] ?? null,
              lastRebuild: runs.find((run) => run.projection === projection.name) ?? null,
            }),
      })),
    };
  }

  @Get(':service/:projection/rebuilds')
  async rebuilds(@Param('service') service: string, @Param('projection') name: string) {
    this.rebuildable(service, name);
    return { rebuilds: (await this.runs.recent(50)).filter((run) => run.projection === name) };
  }

  /** Answers once the rebuild holds its lock and is recorded; its progress is in GET …/rebuilds. */
  @Post(':service/:projection/rebuild')
  @HttpCode(202)
  async rebuild(@Param('service') service: string, @Param('projection') name: string) {
    const projection = this.rebuildable(service, name);
    const runId = await new Promise<string>((started, refused) => {
      rebuildProjection({ store: this.store, projection, onStarted: started }).then(
        (result) =>
          this.logger.log(
            `rebuilt ${name}: ${result.events} events at ${result.eventsPerSecond}/s, writes paused ${result.writesPausedMs} ms`,
          ),
        (error: Error) => {
          refused(error);
          this.logger.error(`rebuild of ${name} failed, live tables untouched: ${error.message}`);
        },
      );
    }).catch((error: unknown) => {
      if (error instanceof RebuildInProgressError)
        throw new DomainError('REBUILD_ALREADY_RUNNING', error.message, { projection: name });
      throw error;
    });
    return { runId, projection: name, progress: `/ops/projections/${service}/${name}/rebuilds` };
  }

  @Post(':service/:projection/drift-check')
  @HttpCode(200)
  driftCheck(@Param('service') service: string, @Param('projection') name: string) {
    return this.monitor.check(this.rebuildable(service, name));
  }

  private ownService(service: string): void {
    if (service !== this.monitor.serviceName)
      throw new DomainError(
        'SERVICE_NOT_FOUND',
        `this is ${this.monitor.serviceName}; /ops/projections/${service} is not served here`,
      );
  }

  private rebuildable(service: string, name: string): StoreProjection {
    this.ownService(service);
    const projection = projectionNamed(this.monitor.options.projections ?? [], name);
    if (!projection)
      throw new DomainError(
        'PROJECTION_NOT_FOUND',
        `${this.monitor.serviceName} has no projection named ${name}`,
        {
          projections: (this.monitor.options.projections ?? []).map((known) => known.name),
        },
      );
    if (projection.source === 'kafka')
      throw new DomainError(
        'PROJECTION_FED_FROM_KAFKA',
        `${name} follows ${projection.topic}, not this service's event store: rewind consumer group ${projection.consumerGroup} instead (docs/operations.md)`,
        { topic: projection.topic, consumerGroup: projection.consumerGroup },
      );
    return projection;
  }
}
