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
  /** Responses received within the run's `seconds`, per second. */
  readonly achieved: number;
  /** Percentiles over every request sent, including those answered after the run's end. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
  /** Requests sent: each costs the suite its work whenever it is answered. */
  readonly requests: number;
}

type SendRequest = (
  options: RequestOptions,
  onResponse: (response: IncomingMessage) => void,
) => ClientRequest;

/** Longest the run waits, after its last request is sent, for the answers still due. */
const DRAIN_TIMEOUT_MS = 60_000;

/**
 * An open-loop load at a fixed rate with loadtest: one request every 1/rate s, whether or not
 * earlier ones were answered, as independent clients arrive (autocannon's rate limit sends each
 * second's quota as a burst at the start of the second, which measures bursts, not a rate). Each
 * request goes to the lane idle longest, so a lane (an account) gets a second request in flight
 * only once every lane is busy — a version conflict then is the overload's, not the bench's.
 * The run waits for every request it sent: loadtest stops counting at `seconds`, and an
 * overloaded suite answers many requests after that, the slowest ones, which its percentiles
 * and a per-request CPU figure must not leave out. Latencies are exact, not bucketed.
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
  let sentCount = 0;
  let answeredInTime = 0;
  let outstanding = 0;
  let drained: () => void = () => undefined;
  const runStarted = performance.now();
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
    sentCount += 1;
    outstanding += 1;
    let finished = false;
    const finish = (status?: number) => {
      if (finished) return;
      finished = true;
      const now = performance.now();
      if (status === undefined) failures += 1;
      else {
        latencies.push(now - started);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (now - runStarted <= seconds * 1000) answeredInTime += 1;
      }
      const index = busy.indexOf(client);
      if (index >= 0) idle.push(...busy.splice(index, 1));
      if (--outstanding === 0) drained();
    };
    const sent = send(
      {
        ...params,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(body && { 'content-length': String(body.length) }) },
      },
      (response) => {
        response.once('end', () => finish(response.statusCode));
        onResponse(response);
      },
    );
    sent.once('error', () => finish());
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
  });
  if (outstanding > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
      drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  failures += outstanding;
  const failed = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 300)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    rate,
    achieved: answeredInTime / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: failed + failures,
    statuses,
    requests: sentCount,
  };
}
