import { performance } from 'node:perf_hooks';
import type { GatewayClient } from '../lib/gateway-client';
import type { Row } from './report';
import type { Trader } from './scenarios';
import { spread } from './stats';

export const BURST_ORDERS = 50;

export interface BurstRun {
  readonly accepted: number;
  readonly statuses: Readonly<Record<number, number>>;
  /** First request sent → last answer received, ms. */
  readonly durationMs: number;
}

/**
 * `BURST_ORDERS` market buys of one share sent at once to one paper account: every one is a write
 * on the same stream, so each must wait for the one before it instead of failing with a 409.
 */
export async function orderBurst(
  client: GatewayClient,
  trader: Trader,
  accountId: string,
): Promise<BurstRun> {
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: BURST_ORDERS }, () =>
      client
        .call('POST', `/api/virtual-broker/accounts/${accountId}/orders`, {
          token: trader.token,
          body: { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 1 },
          expect: [200, 201, 400, 409, 422, 429, 500, 502, 503, 504],
        })
        .then((answer) => answer.status),
    ),
  );
  const statuses: Record<number, number> = {};
  for (const status of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  return { accepted: statuses[201] ?? 0, statuses, durationMs: performance.now() - started };
}

export function burstRows(runs: readonly BurstRun[]): Row[] {
  if (runs.length === 0) return [];
  const accepted = spread(runs.map((run) => run.accepted));
  return [
    {
      metric: `burst of ${BURST_ORDERS} orders on one account: accepted`,
      unit: `/${BURST_ORDERS}`,
      value: accepted,
      baselineName: 'sent',
      baseline: BURST_ORDERS,
      target: `${BURST_ORDERS}`,
      met: accepted.min === BURST_ORDERS,
    },
    {
      metric: `burst of ${BURST_ORDERS} orders on one account: duration`,
      unit: 'ms',
      value: spread(runs.map((run) => run.durationMs)),
      baselineName: 'itself',
      baseline: spread(runs.map((run) => run.durationMs)).median,
    },
  ];
}
