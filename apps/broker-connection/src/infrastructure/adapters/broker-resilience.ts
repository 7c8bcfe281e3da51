import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  type IPolicy,
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

/** What is worth retrying and counts against the breaker: the broker being slow or down, never the caller's own error. */
const isTransient = (error: Error): boolean =>
  error instanceof TaskCancelledError || (error instanceof BrokerAdapterError && error.blame === 'broker');

export type OutsideBroker = Exclude<BrokerKind, 'virtual'>;

/** One outside service a call goes to: a broker and which of its hosts (`paper`, `live`, `token`). */
export interface BrokerEndpoint {
  readonly broker: OutsideBroker;
  readonly endpoint: string;
}

const STATE_RANK: Record<CircuitStateName, number> = { closed: 0, 'half-open': 1, open: 2, isolated: 3 };

/**
 * One breaker per broker endpoint (shared by all connections that use it): when Alpaca's paper
 * API is down, every call to it fails fast instead of holding a consumer for the full timeout
 * and retries, while Alpaca live and TradeStation keep working. Only broker-side failures feed it.
 */
export class BrokerResilience {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly policies = new Map<string, IPolicy>();

  constructor(private readonly settings: ResilienceSettings) {}

  async call<T>({ broker, endpoint }: BrokerEndpoint, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.policyOf(`${broker}:${endpoint}`).execute(({ signal }) => work(signal));
    } catch (error) {
      if (error instanceof TaskCancelledError)
        throw new BrokerAdapterError(
          'BROKER_TIMEOUT',
          `${broker} did not answer within ${this.settings.timeoutMs} ms`,
        );
      if (error instanceof BrokenCircuitError)
        throw new BrokerAdapterError(
          'BROKER_UNAVAILABLE',
          `${broker} (${endpoint}) is failing; calls are paused by its circuit breaker`,
        );
      if (error instanceof BrokerAdapterError) throw error;
      throw new BrokerAdapterError('BROKER_UNAVAILABLE', `${broker} could not be reached`);
    }
  }

  /** Each endpoint called so far, as `broker:endpoint`, with its breaker's state. */
  states(): Record<string, CircuitStateName> {
    return Object.fromEntries([...this.breakers].map(([key, breaker]) => [key, STATE_NAMES[breaker.state]]));
  }

  /** The worst state among a broker's endpoints (all of them, or those named). */
  stateOf(broker: OutsideBroker, endpoints?: readonly string[]): CircuitStateName {
    return Object.entries(this.states())
      .filter(([key]) => {
        const [owner, endpoint] = key.split(':');
        return owner === broker && (!endpoints || endpoints.includes(endpoint));
      })
      .map(([, state]) => state)
      .reduce<CircuitStateName>(
        (worst, state) => (STATE_RANK[state] > STATE_RANK[worst] ? state : worst),
        'closed',
      );
  }

  private policyOf(key: string): IPolicy {
    const existing = this.policies.get(key);
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
    this.breakers.set(key, breaker);
    this.policies.set(key, policy);
    return policy;
  }
}
