import WebSocket from 'ws';
import { fixedRate, type Lane } from './load';
import type { Row } from './report';
import type { Trader } from './scenarios';
import { percentile, spread } from './stats';

/** A market order makes five updates for its owner: order, reservation balance, fill, position, balance. */
const UPDATES_PER_ORDER = 5;

export interface FanOutRun {
  /** Per update received: its event's time (`at`) → the socket's message event, ms. */
  readonly latencies: number[];
  /** Updates received per socket per second, on average. */
  readonly perSocketPerSecond: number;
  /** Sockets closed by the server during the run (4008 = too slow). */
  readonly cut: number;
}

/**
 * `sockets` real-time sockets through the gateway, spread evenly over the traders, each trader
 * trading its first paper account so that every one of its sockets receives `updatesPerSecond`:
 * the whole path, Kafka → broker-account's update log in Redis → every replica's sockets.
 */
export async function realtimeFanOut(
  gatewayUrl: string,
  traders: readonly Trader[],
  sockets: number,
  updatesPerSecond: number,
  seconds: number,
): Promise<FanOutRun> {
  const latencies: number[] = [];
  let cut = 0;
  let measuring = false;
  const url = `${gatewayUrl.replace(/^http/, 'ws')}/api/realtime`;
  const open = await Promise.all(
    Array.from({ length: sockets }, async (_, index) => {
      const socket = new WebSocket(url, ['bearer', traders[index % traders.length].token]);
      socket.on('message', (data) => {
        const received = Date.now();
        const frame = JSON.parse(String(data)) as
          { seq?: number; at: string } | { seq?: number; at: string }[];
        for (const message of Array.isArray(frame) ? frame : [frame])
          if (measuring && message.seq !== undefined) latencies.push(received - Date.parse(message.at));
      });
      socket.once('close', (code) => code === 4008 && cut++);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      return socket;
    }),
  );
  measuring = true;
  const ordersPerSecond = (traders.length * updatesPerSecond) / UPDATES_PER_ORDER;
  await fixedRate(gatewayUrl, orderLanesOf(traders), ordersPerSecond, seconds);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  measuring = false;
  for (const socket of open) socket.close();
  return { latencies, perSocketPerSecond: latencies.length / sockets / seconds, cut };
}

function orderLanesOf(traders: readonly Trader[]): Lane[] {
  return traders.map((trader) =>
    (['BUY', 'SELL'] as const).map((side) => ({
      method: 'POST' as const,
      path: `/api/virtual-broker/accounts/${trader.accountIds[0]}/orders`,
      headers: { authorization: `Bearer ${trader.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'AAPL', side, type: 'MARKET', quantity: 1 }),
    })),
  );
}

/** The report's rows: each repetition's percentile over every update received, beside one kafkajs hop. */
export function fanOutRows(runs: readonly number[][], kafka: readonly number[][]): Row[] {
  if (runs.length === 0) return [];
  return ([50, 99] as const).map((p) => ({
    metric: `update fan-out p${p}, 500 sockets × 10 updates/s`,
    unit: 'ms',
    value: spread(runs.map((run) => percentile(run, p))),
    baselineName: `kafkajs p${p}`,
    baseline: spread(kafka.map((run) => percentile(run, p))).median,
  }));
}
