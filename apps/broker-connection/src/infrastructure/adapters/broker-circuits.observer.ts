import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Observable } from 'rxjs';
import { PrometheusInstrumentation } from '@tradecore/eventing/nest';
import { isReadinessProbe, withReadinessDetail } from '../readiness-detail';
import { BrokerAdapters } from './broker-adapters';
import { CircuitStateName } from './broker-resilience';

const NEVER_CALLED: Record<string, CircuitStateName> = Object.fromEntries(
  ['alpaca:paper', 'alpaca:live', 'tradestation:token', 'tradestation:paper', 'tradestation:live'].map(
    (endpoint) => [endpoint, 'closed'],
  ),
);

const STATE_VALUES: Record<CircuitStateName, number> = { closed: 0, 'half-open': 1, open: 2, isolated: 3 };

/**
 * Shows each outside broker's circuit breakers in `/health/ready` (as `brokerCircuits`) and as
 * the `broker_circuit_state` gauge. An open circuit is reported but keeps readiness up: the
 * service still serves its reads and the virtual broker, and a restart would not heal Alpaca.
 */
@Injectable()
export class BrokerCircuitsObserver implements NestInterceptor {
  constructor(
    @Inject(BrokerAdapters) private readonly adapters: BrokerAdapters,
    @Inject(PrometheusInstrumentation) instrumentation: PrometheusInstrumentation,
  ) {
    const states = () => this.states();
    new Gauge({
      name: 'broker_circuit_state',
      help: 'Circuit breaker per outside broker endpoint: 0 closed, 1 half-open, 2 open, 3 isolated',
      labelNames: ['broker', 'endpoint'],
      registers: [instrumentation.registry],
      collect() {
        for (const [key, state] of Object.entries(states().endpoints)) {
          const [broker, endpoint] = key.split(':');
          this.set({ broker, endpoint }, STATE_VALUES[state]);
        }
      },
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!isReadinessProbe(context)) return next.handle();
    return withReadinessDetail(next, { brokerCircuits: { status: 'up', ...this.states() } });
  }

  /** Per broker the worst of its endpoints' states, and each endpoint called so far. */
  private states() {
    const { resilience } = this.adapters;
    return {
      alpaca: resilience.stateOf('alpaca'),
      tradestation: resilience.stateOf('tradestation'),
      endpoints: { ...NEVER_CALLED, ...resilience.states() },
    };
  }
}
