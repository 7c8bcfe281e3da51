import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Roles } from '@tradecore/auth';
import { EVENTING_OPTIONS, EventingModuleOptions } from '@tradecore/eventing/nest';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';

export class SagaStatsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(7 * 24 * 60)
  windowMinutes?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(24 * 3600)
  bucketSeconds?: number;
}

@Controller('ops/stats')
@Roles('admin')
export class SagaStatsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EVENTING_OPTIONS) private readonly options: EventingModuleOptions,
  ) {}

  /** Finished sagas per time bucket, by outcome, with p50/p99 duration; and the counts by status now. */
  @Get()
  async stats(@Query() query: SagaStatsQuery) {
    const windowMinutes = query.windowMinutes ?? 60;
    const bucketSeconds = query.bucketSeconds ?? 60;
    const schema = `"${this.options.schema}"`;
    const buckets: {
      bucket: Date;
      finished: number;
      completed: number;
      compensated: number;
      aborted: number;
      p50_ms: number | null;
      p99_ms: number | null;
    }[] = await this.dataSource.query(
      `SELECT to_timestamp(floor(extract(epoch FROM finished_at) / $2) * $2) AS bucket,
              count(*)::int AS finished,
              count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
              count(*) FILTER (WHERE status = 'COMPENSATED')::int AS compensated,
              count(*) FILTER (WHERE status = 'ABORTED')::int AS aborted,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p50_ms,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p99_ms
         FROM ${schema}.saga_instance
        WHERE finished_at >= now() - $1 * interval '1 minute'
        GROUP BY 1 ORDER BY 1`,
      [windowMinutes, bucketSeconds],
    );
    const byStatus: { status: string; count: number }[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS count FROM ${schema}.saga_instance GROUP BY status ORDER BY status`,
    );
    return {
      windowMinutes,
      bucketSeconds,
      byStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.count])),
      buckets: buckets.map((row) => ({
        at: row.bucket,
        finished: row.finished,
        completed: row.completed,
        compensated: row.compensated,
        aborted: row.aborted,
        p50Ms: row.p50_ms === null ? null : Math.round(row.p50_ms),
        p99Ms: row.p99_ms === null ? null : Math.round(row.p99_ms),
      })),
    };
  }
}
