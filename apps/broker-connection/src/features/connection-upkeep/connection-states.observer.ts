import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { from, Observable, switchMap } from 'rxjs';
import { PrometheusInstrumentation } from '@tradecore/eventing/nest';
import { isReadinessProbe, withReadinessDetail } from '../../infrastructure/readiness-detail';
import { ConnectionStates } from './connection-states.query';

/**
 * Connections by broker and status, so an outage or a wave of revoked sign-ins shows at a glance:
 * in `/health/ready` (as `brokerConnections`, informational: a broker's trouble is not this
 * service's) and as the `broker_connections{broker,status}` gauge. Purged connections are gone.
 */
@Injectable()
export class ConnectionStatesObserver implements NestInterceptor {
  constructor(
    @Inject(ConnectionStates) private readonly states: ConnectionStates,
    @Inject(PrometheusInstrumentation) instrumentation: PrometheusInstrumentation,
  ) {
    const counts = () => this.states.counts();
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
      return { status: 'up', ...(await this.states.counts()) };
    } catch {
      return { status: 'up', unknown: 'the database did not answer' };
    }
  }
}
