import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** Saga and DLQ metrics beside the eventing ones on the service's /metrics. */
export class SagaMetrics {
  private readonly duration: Histogram<'saga_type' | 'outcome'>;
  private readonly compensations: Counter<'saga_type'>;
  private readonly timeouts: Counter<'saga_type' | 'step'>;

  constructor(registry: Registry, dataSource: DataSource, schema: string) {
    const registers = [registry];
    this.duration = new Histogram({
      name: 'saga_duration_seconds',
      help: 'From a saga being triggered to its end, by saga type and outcome',
      labelNames: ['saga_type', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.compensations = new Counter({
      name: 'saga_compensations_total',
      help: 'Sagas that started compensating',
      labelNames: ['saga_type'],
      registers,
    });
    this.timeouts = new Counter({
      name: 'saga_step_timeouts_total',
      help: 'Step attempts that got no reply before their deadline',
      labelNames: ['saga_type', 'step'],
      registers,
    });
    // Read from the database on scrape, so every replica reports the same truth after a restart.
    const inFlight = (): Promise<{ saga_type: string; status: string; count: string; stalled: string }[]> =>
      dataSource.query(
        `SELECT saga_type, status, count(*) AS count, EXTRACT(EPOCH FROM now() - min(updated_at)) AS stalled
         FROM "${schema}".saga_instance
         WHERE status IN ('QUEUED', 'RUNNING', 'COMPENSATING', 'FAILED') GROUP BY saga_type, status`,
      );
    new Gauge({
      name: 'sagas_in_flight',
      help: 'Sagas queued, running, compensating or failed (awaiting an operator), by type and status',
      labelNames: ['saga_type', 'status'],
      registers,
      async collect() {
        const rows = await inFlight();
        this.reset();
        for (const row of rows) this.set({ saga_type: row.saga_type, status: row.status }, Number(row.count));
      },
    });
    new Gauge({
      name: 'saga_oldest_unchanged_seconds',
      help: 'How long the in-flight saga that moved least recently has not moved, by type and status: a stuck saga grows it',
      labelNames: ['saga_type', 'status'],
      registers,
      async collect() {
        const rows = await inFlight();
        this.reset();
        for (const row of rows)
          this.set({ saga_type: row.saga_type, status: row.status }, Math.max(0, Number(row.stalled)));
      },
    });
    new Gauge({
      name: 'dlq_messages',
      help: 'Dead-lettered messages mirrored from every *.dlq topic, by original topic and status',
      labelNames: ['topic', 'status'],
      registers,
      async collect() {
        const rows: { original_topic: string; status: string; count: string }[] = await dataSource.query(
          `SELECT original_topic, status, count(*) AS count FROM "${schema}".dlq_message GROUP BY original_topic, status`,
        );
        this.reset();
        for (const row of rows)
          this.set({ topic: row.original_topic, status: row.status }, Number(row.count));
      },
    });
  }

  sagaEnded(sagaType: string, outcome: string, startedAt: Date | undefined): void {
    if (startedAt)
      this.duration.observe({ saga_type: sagaType, outcome }, (Date.now() - startedAt.getTime()) / 1000);
  }

  compensationStarted(sagaType: string): void {
    this.compensations.inc({ saga_type: sagaType });
  }

  stepTimedOut(sagaType: string, step: string): void {
    this.timeouts.inc({ saga_type: sagaType, step });
  }
}
