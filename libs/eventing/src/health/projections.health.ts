import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ProjectionMonitor } from '../projections/projection-monitor';

/**
 * The integrity monitor's last findings in readiness detail. Always up: a drifted read model is
 * for an operator to rebuild, and taking the replica out of service would not repair it.
 */
@Injectable()
export class ProjectionsHealthIndicator {
  constructor(
    @Inject(ProjectionMonitor) private readonly monitor: ProjectionMonitor,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult {
    const { reports, failures } = this.monitor.latest();
    const drift = Object.fromEntries(
      reports.map((report) => [
        report.projection,
        {
          drifted: report.drifted,
          rowsOffVersion: report.rowsOffVersion,
          rowsDiffering: report.rowsDiffering,
          checkedAt: report.checkedAt,
        },
      ]),
    );
    return this.health.check('projections').up({ drift, failures });
  }
}
