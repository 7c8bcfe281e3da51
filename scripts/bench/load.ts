import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats';

export interface Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** The requests one client sends in turn (e.g. a buy then a sell on one account). */
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

type SendRequest = (
  options: RequestOptions,
  onResponse: (response: IncomingMessage) => void,
) => ClientRequest;

/**
 * An open-loop load at a fixed rate with loadtest: one request every 1/rate seconds, whether or not
 * earlier ones were answered, as independent clients arrive (autocannon's rate limit sends each
 * second's quota as a burst at the start of the second, which measures bursts, not a rate). Each
 * request goes to the lane idle longest, so a lane (an account) gets a second request in flight
 * only once every lane is busy — a version conflict then is the overload's, not the bench's.
 * Every response's latency is kept, so the percentiles are exact rather than bucketed.
 */
export async function fixedRate(
  url: string,
  lanes: readonly Lane[],
  rate: number,
  seconds: number,
): Promise<LoadResult> {
  // Without a callback loadTest returns a promise (loadtest 8); its bundled typings predate that.
  const loadTest = (await import('loadtest')).loadTest as unknown as (options: object) => Promise<unknown>;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;
  // loadtest reports whole milliseconds; each response's own timing, taken just before loadtest's
  // handler of the same 'end' event reports it, keeps the fractions.
  let lastElapsed = 0;
  const idle = lanes.map((lane) => ({ lane, step: 0 }));
  const busy: typeof idle = [];
  const requestGenerator = (
    _options: unknown,
    params: RequestOptions,
    send: SendRequest,
    onResponse: (response: IncomingMessage) => void,
  ) => {
    const client = idle.shift() ?? busy.shift()!;
    busy.push(client);
    const request = client.lane[client.step++ % client.lane.length];
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const started = performance.now();
    const release = () => {
      const index = busy.indexOf(client);
      if (index >= 0) idle.push(...busy.splice(index, 1));
    };
    const sent = send(
      {
        ...params,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(body && { 'content-length': String(body.length) }) },
      },
      (response) => {
        response.once('end', () => {
          lastElapsed = performance.now() - started;
          release();
        });
        onResponse(response);
      },
    );
    sent.once('error', release);
    if (body) sent.write(body);
    return sent;
  };
  await loadTest({
    url,
    requestsPerSecond: rate,
    maxSeconds: seconds,
    agentKeepAlive: true,
    timeout: 30_000,
    quiet: true,
    requestGenerator,
    statusCallback: (_error: unknown, result?: { statusCode?: number }) => {
      if (!result?.statusCode) {
        failures += 1;
        return;
      }
      latencies.push(lastElapsed);
      statuses[result.statusCode] = (statuses[result.statusCode] ?? 0) + 1;
    },
  });
  const failed = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 300)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    rate,
    achieved: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: failed + failures,
    statuses,
    requests: latencies.length,
  };
}
