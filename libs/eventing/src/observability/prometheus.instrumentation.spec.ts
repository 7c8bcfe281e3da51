import { PrometheusInstrumentation } from './prometheus.instrumentation';

async function sampleOf(
  instrumentation: PrometheusInstrumentation,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = (await instrumentation.registry.metrics())
    .split('\n')
    .find(
      (candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)),
    );
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('PrometheusInstrumentation', () => {
  let metrics: PrometheusInstrumentation;
  beforeEach(() => {
    metrics = new PrometheusInstrumentation({ serviceName: 'sample', defaultMetrics: false });
  });

  it('records append latency and version conflicts by stream type', async () => {
    metrics.appended('Order', 2, 12);
    metrics.versionConflict('Order');
    expect(
      await sampleOf(metrics, 'eventing_append_duration_seconds_count', {
        stream_type: 'Order',
        service: 'sample',
      }),
    ).toBe(1);
    expect(await sampleOf(metrics, 'eventing_events_appended_total', { stream_type: 'Order' })).toBe(2);
    expect(await sampleOf(metrics, 'eventing_version_conflicts_total', { stream_type: 'Order' })).toBe(1);
  });

  it('shows the outbox backlog and how old its oldest row is', async () => {
    metrics.relayBacklog(7, 4500);
    expect(await sampleOf(metrics, 'eventing_outbox_backlog_rows')).toBe(7);
    expect(await sampleOf(metrics, 'eventing_outbox_oldest_age_seconds')).toBe(4.5);
  });

  it('counts retries and dead letters beside the consume latency', async () => {
    metrics.consumed('projector', 'orders.events', 'retried', 3);
    metrics.consumed('projector', 'orders.events', 'dead-lettered', 3);
    metrics.relayPublished('orders.events', 3, 40);
    const labels = { consumer: 'projector', topic: 'orders.events' };
    expect(await sampleOf(metrics, 'eventing_consumer_retries_total', labels)).toBe(1);
    expect(await sampleOf(metrics, 'eventing_dead_lettered_total', labels)).toBe(1);
    expect(
      await sampleOf(metrics, 'eventing_consume_duration_seconds_count', { ...labels, outcome: 'retried' }),
    ).toBe(1);
    expect(await sampleOf(metrics, 'eventing_outbox_published_total', { topic: 'orders.events' })).toBe(3);
    expect(
      await sampleOf(metrics, 'eventing_outbox_publish_lag_seconds_sum', { topic: 'orders.events' }),
    ).toBe(0.04);
  });

  it('keeps two instances apart, as two services in one process need', () => {
    expect(() => [
      new PrometheusInstrumentation({ serviceName: 'a' }),
      new PrometheusInstrumentation({ serviceName: 'b' }),
    ]).not.toThrow();
  });
});
