import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { from, Observable, switchMap } from 'rxjs';
import { DataSource } from 'typeorm';
import { EventStore } from '@tradecore/eventing';
import { PrometheusInstrumentation } from '@tradecore/eventing/nest';
import { isReadinessProbe, withReadinessDetail } from '../../infrastructure/readiness-detail';

type Counts = Record<string, Record<string, number>>;

/**
 * Connections by broker and status, so an outage or a wave of revoked sign-ins shows at a glance:
 * in `/health/ready` (as `brokerConnections`, informational: a broker's trouble is not this
 * service's) and as the `broker_connections{broker,status}` gauge. Purged connections are gone.
 */
@Injectable()
export class ConnectionStatesObserver implements NestInterceptor {
  private readonly connections: string;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) store: EventStore,
    @Inject(PrometheusInstrumentation) instrumentation: PrometheusInstrumentation,
  ) {
    this.connections = `"${store.schema}".connections`;
    const counts = () => this.counts();
    new Gauge({
      name: 'broker_connections',
      help: 'Connections not yet purged, by broker and status (CONNECTED, DEGRADED, OFFLINE, NEEDS_REAUTH, ...)',
      labelNames: ['broker', 'status'],
      registers: [instrumentation.registry],
      async collect() {
        // Without the database the last counts stay: a scrape must not fail for it.
        const current = await counts().catch(() => undefined);
        if (!current) return;
        this.reset();
        for (const [broker, statuses] of Object.entries(current))
          for (const [status, count] of Object.entries(statuses)) this.set({ broker, status }, count);
      },
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!isReadinessProbe(context)) return next.handle();
    return from(this.summary()).pipe(
      switchMap((summary) => withReadinessDetail(next, { brokerConnections: summary })),
    );
  }

  private async summary(): Promise<object> {
    try {
      return { status: 'up', ...(await this.counts()) };
    } catch {
      return { status: 'up', unknown: 'the database did not answer' };
    }
  }

  private async counts(): Promise<Counts> {
    const rows = await this.dataSource.query<{ broker: string; status: string; count: number }[]>(
      `SELECT broker, status, count(*)::int AS count FROM ${this.connections}
       WHERE status <> 'PURGED' GROUP BY broker, status`,
    );
    const counts: Counts = {};
    for (const { broker, status, count } of rows) counts[broker] = { ...counts[broker], [status]: count };
    return counts;
  }
}
