import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Gauge } from 'prom-client';
import type { EventingEnv } from '../config/eventing.env';
import { EventStore } from '../event-store/event-store';
import { EVENTING_OPTIONS, EventingModuleOptions } from '../nest/eventing.options';
import { type BackgroundWork, RunsInWorkers } from '../nest/process-role';
import { PrometheusInstrumentation } from '../observability/prometheus.instrumentation';
import { checkProjectionDrift, ProjectionDrift } from './projection-drift';
import type { StoreProjection } from './projection-registration';

/**
 * The data-integrity monitor: every PROJECTION_DRIFT_INTERVAL_MS, and on demand, compares each
 * projection of the service's own store with the store, keeps the last report per projection
 * for readiness and the ops API, and exports the rows found off as a gauge.
 */
@Injectable()
@RunsInWorkers()
export class ProjectionMonitor implements BackgroundWork, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionMonitor.name);
  private readonly reports = new Map<string, ProjectionDrift>();
  private readonly failures = new Map<string, string>();
  private readonly driftRows: Gauge<'projection'>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(EVENTING_OPTIONS) readonly options: EventingModuleOptions,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConfigService) private readonly config: ConfigService<EventingEnv, true>,
    @Inject(PrometheusInstrumentation) instrumentation: PrometheusInstrumentation,
  ) {
    this.driftRows = new Gauge({
      name: 'eventing_projection_drift_rows',
      help: 'Read-model rows the last integrity check found off the event store, by projection (0 is healthy)',
      labelNames: ['projection'],
      registers: [instrumentation.registry],
    });
  }

  get serviceName(): string {
    return this.options.serviceName;
  }

  get projections(): StoreProjection[] {
    return (this.options.projections ?? []).filter(
      (projection): projection is StoreProjection => projection.source === 'event-store',
    );
  }

  start(): void {
    const every = this.config.get('PROJECTION_DRIFT_INTERVAL_MS', { infer: true });
    if (every === 0 || this.projections.length === 0) return;
    this.timer = setInterval(() => void this.checkAll(), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  latest(): { reports: ProjectionDrift[]; failures: Record<string, string> } {
    return { reports: [...this.reports.values()], failures: Object.fromEntries(this.failures) };
  }

  async check(projection: StoreProjection): Promise<ProjectionDrift> {
    const sample = this.config.get('PROJECTION_DRIFT_SAMPLE_STREAMS', { infer: true });
    const report = await checkProjectionDrift(this.store, projection, sample);
    this.reports.set(projection.name, report);
    this.failures.delete(projection.name);
    this.driftRows.set({ projection: projection.name }, report.rowsOffVersion + report.rowsDiffering);
    if (report.drifted)
      this.logger.warn(
        `projection ${projection.name} drifted from the event store: ${report.rowsOffVersion} rows off their stream version, ${report.rowsDiffering} rows differing in sampled streams ${report.differingStreams.join(', ')}; rebuild it`,
      );
    return report;
  }

  private checkAll(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      for (const projection of this.projections)
        await this.check(projection).catch((error: Error) => {
          this.failures.set(projection.name, error.message);
          this.logger.warn(
            `integrity check of ${projection.name} failed, next on schedule: ${error.message}`,
          );
        });
    })().finally(() => (this.running = undefined));
    return this.running;
  }
}
