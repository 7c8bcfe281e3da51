import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IPolicy,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import type { BrokerKind } from '@tradecore/contracts';
import { BrokerAdapterError } from './broker-adapter';

export interface ResilienceSettings {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly circuitFailures: number;
  readonly halfOpenAfterMs: number;
}

export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** What is worth retrying and counts against the breaker: the broker being slow or down, never a refusal. */
const isTransient = (error: Error): boolean =>
  error instanceof TaskCancelledError ||
  (error instanceof BrokerAdapterError && error.code !== 'INVALID_CREDENTIALS');

/**
 * One breaker per outside broker (shared by all its connections): when Alpaca is down, every
 * call fails fast instead of holding a consumer for the full timeout and retries.
 */
export class BrokerResilience {
  private readonly breakers = new Map<BrokerKind, CircuitBreakerPolicy>();
  private readonly policies = new Map<BrokerKind, IPolicy>();

  constructor(private readonly settings: ResilienceSettings) {}

  async call<T>(broker: BrokerKind, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.policyOf(broker).execute(({ signal }) => work(signal));
    } catch (error) {
      if (error instanceof TaskCancelledError)
        throw new BrokerAdapterError(
          'BROKER_TIMEOUT',
          `${broker} did not answer within ${this.settings.timeoutMs} ms`,
        );
      if (error instanceof BrokenCircuitError)
        throw new BrokerAdapterError(
          'BROKER_UNAVAILABLE',
          `${broker} is failing; calls are paused by its circuit breaker`,
        );
      if (error instanceof BrokerAdapterError) throw error;
      throw new BrokerAdapterError('BROKER_UNAVAILABLE', `${broker} could not be reached`);
    }
  }

  states(): Partial<Record<BrokerKind, CircuitStateName>> {
    return Object.fromEntries(
      [...this.breakers].map(([broker, breaker]) => [broker, STATE_NAMES[breaker.state]]),
    );
  }

  private policyOf(broker: BrokerKind): IPolicy {
    const existing = this.policies.get(broker);
    if (existing) return existing;
    const transient = handleWhen(isTransient);
    const breaker = circuitBreaker(transient, {
      halfOpenAfter: this.settings.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(this.settings.circuitFailures),
    });
    const policy = wrap(
      retry(transient, {
        maxAttempts: this.settings.retries,
        backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }),
      }),
      breaker,
      timeout(this.settings.timeoutMs, TimeoutStrategy.Aggressive),
    );
    this.breakers.set(broker, breaker);
    this.policies.set(broker, policy);
    return policy;
  }
}
