import type { DataSource } from 'typeorm';
import type { Envelope } from '@tradecore/eventing';
import type { AggregateLock } from '../infrastructure/aggregate-lock';
import type { SagaMetrics } from '../infrastructure/saga-metrics';
import type { TraceRow } from '../persistence/trace-rows';
import type { SagaCatalog } from './saga-definition';
import type { SagaRepository } from './saga-repository';

/** What the saga engine is given: storage, the aggregate lock, metrics, the sagas it runs and its time scales. */
export interface SagaEngineDeps {
  readonly dataSource: DataSource;
  readonly lock: AggregateLock;
  readonly repository: SagaRepository;
  readonly metrics: SagaMetrics;
  readonly sagas: SagaCatalog;
  /** The trace rows of the commands a transition sends, written in its statement. */
  readonly trace: { commandRows(envelopes: readonly Envelope[]): TraceRow[] };
  /** Multiplies every step timeout and saga deadline: 1 in production, small in tests that wait for them. */
  readonly timeoutScale: number;
  /** Deadlines as a whole by saga type (SAGA_DEADLINES_MS), instead of the definitions' own. */
  readonly sagaDeadlinesMs: Readonly<Record<string, number>>;
}
