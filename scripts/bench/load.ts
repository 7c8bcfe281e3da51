import autocannon from 'autocannon';
import { percentile } from './stats';

export interface Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** One lane per connection: the requests that connection sends in turn (e.g. a buy then a sell on one account). */
export type Lane = readonly Request[];

export interface LoadResult {
  readonly rate: number;
  readonly achieved: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
  readonly requests: number;
}

/**
 * A fixed overall rate with autocannon. Each connection owns one lane, so two requests never
 * race on the same account (which would be a version conflict the test made, not the system);
 * every response's latency is kept, so the percentiles are exact rather than bucketed.
 */
export async function fixedRate(
  url: string,
  lanes: readonly Lane[],
  rate: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let lane = 0;
  let finish: (error: unknown, result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((done, fail) => {
    finish = (error, result) => (error ? fail(error) : done(result));
  });
  const instance = autocannon(
    {
      url,
      connections: Math.min(lanes.length, Math.max(4, Math.ceil(rate / 20))),
      overallRate: rate,
      duration: seconds,
      requests: [
        {
          setupRequest: (request, context: { lane?: number; step?: number }) => {
            context.lane ??= lane++ % lanes.length;
            const own = lanes[context.lane];
            const next = own[(context.step = ((context.step ?? -1) + 1) % own.length)];
            return { ...request, ...next };
          },
        },
      ],
    },
    (error, result) => finish(error, result),
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await finished;
  const failed = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 300)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    rate,
    achieved: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: failed + result.errors + result.timeouts,
    statuses,
    requests: latencies.length,
  };
}
