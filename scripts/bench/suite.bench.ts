import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { GatewayClient } from '../lib/gateway-client';
import { kafkaProduceToConsume, postgresInsertsPerSecond } from './baselines';
import { BURST_ORDERS, burstRows, orderBurst, type BurstRun } from './burst';
import { cpuSnapshot } from './cpu-accounting';
import { CpuMeter, type CpuCost } from './cpu-meter';
import { fanOutRows, realtimeFanOut } from './fanout';
import { fixedRate, type Lane, type LoadResult } from './load';
import { save, table } from './report';
import { buildRows, RATES } from './rows';
import {
  accountReads,
  fillToBalance,
  orderLanes,
  propagation,
  provisionTraders,
  runSagas,
} from './scenarios';
import { automationOf, signalBurst, signalsOneAtATime, type SignalLatencies } from './signals';
import { percentile, spread } from './stats';
import { type RunningSuite, startSuite } from './suite-process';

// `npm run bench`: the whole suite under the launcher on its own ports, database and Redis
// index, measured through the gateway against raw baselines taken in the same run.
const DEFAULTS: Record<string, string> = {
  GATEWAY_PORT: '3200',
  DEV_BROKER_PORT: '9292',
  DEV_BROKER_DATA_DIR: '.data/kafka-bench',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tradecore_bench',
  REDIS_URL: 'redis://127.0.0.1:6379/4',
  RATE_LIMIT_MAX: '1000000',
  // Bench traders open hundreds of connections each (the saga rows); the per-user cap is not measured.
  BROKER_CONNECTIONS_PER_USER: '1000000',
  // The signal burst sends hundreds of webhooks a minute to one URL; the per-URL limit is not measured.
  WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000',
  LOG_LEVEL: 'warn',
};
const env = { ...process.env };
for (const [key, value] of Object.entries(DEFAULTS)) env[key] ??= value;
const REPS = Number(process.env.BENCH_REPS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const BURST = Number(process.env.BENCH_SAGA_BURST ?? 200);
const LADDER = [25, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000];
const RESULTS = join(__dirname, '../../bench/results');
// BENCH_SCENARIOS=write BENCH_RATES=100,300 measures only those, e.g. to compare two commits
// quickly; a partial run prints its figures and leaves bench/results alone.
const SCENARIOS = [
  'noop',
  'write',
  'read',
  'ladder',
  'sagas',
  'fill',
  'burst',
  'fanout',
  'signals',
  'raw',
] as const;
type Scenario = (typeof SCENARIOS)[number];
const chosen = new Set((process.env.BENCH_SCENARIOS ?? SCENARIOS.join(',')).split(',').map((s) => s.trim()));
const unknown = [...chosen].filter((name) => !(SCENARIOS as readonly string[]).includes(name));
if (unknown.length)
  throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
const runs = (scenario: Scenario): boolean => chosen.has(scenario);
const partial = SCENARIOS.some((scenario) => !runs(scenario)) || process.env.BENCH_RATES !== undefined;
const rates = process.env.BENCH_RATES?.split(',').map(Number) ?? RATES;

async function main(): Promise<void> {
  console.log(
    `bench: starting the suite (gateway :${env.GATEWAY_PORT}, broker :${env.DEV_BROKER_PORT}, ${env.DATABASE_URL})`,
  );
  const suite = await startSuite(env, '.data/bench-suite.log', process.argv.slice(2));
  try {
    await measure(suite);
  } finally {
    await suite.stop();
  }
}

async function measure(suite: RunningSuite): Promise<void> {
  const { gatewayUrl } = suite;
  const meter = new CpuMeter(() => cpuSnapshot(suite.pid, env.DATABASE_URL!));
  const cpu: Record<string, CpuCost[]> = {};
  const client = new GatewayClient(gatewayUrl);
  const admin = await client.login(
    env.ADMIN_EMAIL ?? 'admin@tradecore.local',
    env.ADMIN_PASSWORD ?? 'Admin-Passw0rd!',
  );
  // 300 accounts: at 1,000 writes/s each account still sees a request only every 0.3 s.
  const traders = await provisionTraders(client, 10, 10, 3);
  const writes = orderLanes(traders);
  const reads = accountReads(traders);
  const noop: Lane[] = Array.from({ length: 100 }, () => [
    { method: 'GET', path: '/health/live', headers: {} },
  ]);

  console.log('bench: warm-up');
  await fixedRate(gatewayUrl, noop, 300, 3);
  await fixedRate(gatewayUrl, writes, 300, 5);
  await fixedRate(gatewayUrl, reads, 300, 3);
  await meter.settle();
  await meter.calibrate();

  const http: Record<string, LoadResult[]> = {};
  const lanes = { noop, write: writes, read: reads } as const;
  for (let rep = 0; rep < REPS; rep++) {
    for (const rate of rates) {
      for (const name of (['noop', 'write', 'read'] as const).filter(runs)) {
        const { result, cpu: cost } = await meter.measure(
          () => fixedRate(gatewayUrl, lanes[name], rate, SECONDS),
          (run) => run.requests,
        );
        if (name !== 'read') (cpu[`${name}@${rate}`] ??= []).push(cost);
        (http[`${name}@${rate}`] ??= []).push(result);
        console.log(
          `bench: ${name} @ ${rate}/s rep ${rep + 1}: p50 ${result.p50.toFixed(1)} p99 ${result.p99.toFixed(1)} ms, achieved ${Math.round(result.achieved)}/s, statuses ${JSON.stringify(result.statuses)}, CPU ${cost.total.toFixed(2)} ms/op`,
        );
      }
    }
  }

  const sustained: number[] = [];
  if (runs('ladder')) {
    console.log('bench: highest sustained write rate (p99 ≤ 50 ms, ≥ 95% of the rate achieved, no errors)');
    for (let rep = 0; rep < REPS; rep++) sustained.push(await highestWriteRate(meter, gatewayUrl, writes));
  }

  const sagaLatency: number[][] = [];
  const propagationRuns: number[][] = [];
  const sagaRates: number[] = [];
  const propagationUnderLoad: number[][] = [];
  if (runs('sagas')) {
    console.log(`bench: sagas one at a time (latency) and ${BURST} at once (throughput)`);
    for (let rep = 0; rep < REPS; rep++) {
      await meter.settle();
      const single = await runSagas(client, admin, traders, 20, 1);
      sagaLatency.push(single.endToEnd);
      propagationRuns.push(await propagation(env.DATABASE_URL!, single.startedAt));
      const { result: burst, cpu: cost } = await meter.measure(
        () => runSagas(client, admin, traders, BURST, 32),
        () => BURST,
      );
      (cpu.saga ??= []).push(cost);
      sagaRates.push(burst.perSecond);
      propagationUnderLoad.push(await propagation(env.DATABASE_URL!, burst.startedAt));
      console.log(
        `bench: sagas rep ${rep + 1}: p50 ${percentile(single.endToEnd, 50)} ms, ${burst.perSecond.toFixed(0)} sagas/s`,
      );
    }
  }

  const fillToBalanceRuns: number[][] = [];
  if (runs('fill')) {
    console.log('bench: fill → balance visible in broker-account, one order at a time');
    for (let rep = 0; rep < REPS; rep++) {
      await meter.settle();
      fillToBalanceRuns.push(await fillToBalance(client, traders[rep % traders.length], 50));
      console.log(
        `bench: fill → balance rep ${rep + 1}: p50 ${percentile(fillToBalanceRuns[rep], 50).toFixed(1)} p99 ${percentile(fillToBalanceRuns[rep], 99).toFixed(1)} ms`,
      );
    }
  }

  const bursts: BurstRun[] = [];
  if (runs('burst')) {
    console.log(`bench: ${BURST_ORDERS} orders at once on one paper account`);
    for (let rep = 0; rep < REPS; rep++) {
      await meter.settle();
      const trader = traders[rep % traders.length];
      const burst = await orderBurst(client, trader, trader.accountIds[trader.accountIds.length - 1]);
      bursts.push(burst);
      console.log(
        `bench: burst rep ${rep + 1}: accepted ${burst.accepted}/${BURST_ORDERS} in ${burst.durationMs.toFixed(0)} ms, statuses ${JSON.stringify(burst.statuses)}`,
      );
    }
  }

  const fanOutRuns: number[][] = [];
  if (runs('fanout')) {
    console.log('bench: real-time fan-out, 500 sockets receiving 10 updates/s each');
    for (let rep = 0; rep < REPS; rep++) {
      await meter.settle();
      const run = await realtimeFanOut(gatewayUrl, traders, 500, 10, SECONDS * 2);
      fanOutRuns.push(run.latencies);
      console.log(
        `bench: fan-out rep ${rep + 1}: p50 ${percentile(run.latencies, 50).toFixed(1)} p99 ${percentile(run.latencies, 99).toFixed(1)} ms, ${run.perSocketPerSecond.toFixed(1)} updates/s per socket, ${run.cut} cut`,
      );
    }
  }

  const signalLatency: SignalLatencies[] = [];
  const signalRates: number[] = [];
  if (runs('signals')) {
    console.log(
      'bench: webhook signals one at a time (latency), then 500 at once to 5 automations (throughput)',
    );
    for (let rep = 0; rep < REPS; rep++) {
      await meter.settle();
      const latency = await signalsOneAtATime(client, await automationOf(client, traders[rep]), 40);
      signalLatency.push(latency);
      const automations = [];
      for (const trader of traders.slice(0, 5)) automations.push(await automationOf(client, trader));
      signalRates.push(await signalBurst(client, automations, 100, 32));
      console.log(
        `bench: signals rep ${rep + 1}: webhook → placed p50 ${percentile(latency.placed, 50)} p99 ${percentile(latency.placed, 99)} ms, → filled p50 ${percentile(latency.filled, 50)} p99 ${percentile(latency.filled, 99)} ms, ${signalRates[rep].toFixed(0)} signals filled/s`,
      );
    }
  }

  const inserts: number[] = [];
  const kafka: number[][] = [];
  if (runs('raw')) {
    console.log('bench: raw baselines');
    for (let rep = 0; rep < REPS; rep++) {
      inserts.push(await postgresInsertsPerSecond(env.DATABASE_URL!, 3));
      kafka.push(await kafkaProduceToConsume([`127.0.0.1:${env.DEV_BROKER_PORT}`], 200));
    }
  }

  if (partial) {
    console.log(
      `\nbench: partial run (${[...chosen].join(', ')} at ${rates.join(', ')}/s), bench/results left alone`,
    );
    for (const [name, costs] of Object.entries(cpu)) {
      const total = spread(costs.map((cost) => cost.total));
      console.log(
        `bench: CPU per ${name}: ${total.median.toFixed(2)} ms (${total.min.toFixed(2)}–${total.max.toFixed(2)}); median run: ${breakdown(costs)}`,
      );
    }
    return;
  }
  const rows = [
    ...buildRows({
      cpu: { noop: cpu['noop@300'], write: cpu['write@300'], saga: cpu.saga },
      http,
      sustained,
      sagaLatency,
      sagaRates,
      propagationRuns,
      propagationUnderLoad,
      fillToBalanceRuns,
      signalLatency,
      signalRates,
      inserts,
      kafka,
    }),
    ...burstRows(bursts),
    ...fanOutRows(fanOutRuns, kafka),
  ];
  console.log(`\n${table(rows)}\n`);
  save(
    RESULTS,
    rows,
    {
      finishedAt: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
      repetitions: REPS,
      secondsPerLoadRun: SECONDS,
      raw: { http, sustained, sagaRates, inserts, cpu },
    },
    [
      'write = POST /api/virtual-broker/accounts/:id/orders (market buy or sell of one share, alternating per account) through the gateway; read = GET /api/virtual-broker/accounts/:id; no-op = GET /health/live on the gateway.',
      "fan-out = 500 WebSockets on /api/realtime through the gateway, 50 per trader, each trader placing market orders so each socket receives 10 updates/s; per update received, its event time (`at`) → the socket's message event.",
      "webhook → placed / filled = SignalReceived (the webhook request) → the paper broker placed / filled the order, from the signal history (the suite's own clocks), 40 signals one at a time (buy, exit); signals filled/s = 500 buy signals to 5 automations, 32 webhooks in flight ÷ (first received → last filled).",
      "fill → balance = a market order's 201 through the gateway → GET /api/broker-accounts shows the new cash (polled every 5 ms), 50 orders one at a time per repetition.",
      'propagation = broker-connection event occurred_at → handled_at of the broker-account projection and the orchestrator saga triggers (inbox rows), during one-at-a-time sagas; "under saga load" during the saga bursts.',
      ...(['write', 'saga'] as const).map(
        (name) =>
          `CPU per ${name} (median repetition), by process: ${breakdown(cpu[name === 'write' ? 'write@300' : name])}.`,
      ),
      "CPU = utime + stime from /proc of the launcher (with its embedded dev broker), each app, and the PostgreSQL backends of the suite's database, sampled with the suite settled before the run and again once every backlog it caused has drained, minus the suite's idle CPU over that time, divided by the operations done; on 2 cores, 2,000 ms of CPU per second is all there is.",
      `saga = connection requestedAt → BrokerConnection saga finishedAt (virtual broker, 4 steps, 9 Kafka hops), sagas one at a time; sagas/s = ${BURST} requests, 32 in flight ÷ (last finish − first request).`,
    ],
  );
  console.log(`bench: wrote ${RESULTS}/latest.json and latest.md`);
}

async function highestWriteRate(meter: CpuMeter, gatewayUrl: string, writes: Lane[]): Promise<number> {
  let best = 0;
  for (const rate of LADDER) {
    await meter.settle();
    const result = await fixedRate(gatewayUrl, writes, rate, SECONDS);
    const ok = result.p99 <= 50 && result.achieved >= rate * 0.95 && result.errors === 0;
    console.log(
      `bench:   ${rate}/s: achieved ${Math.round(result.achieved)}/s p99 ${result.p99.toFixed(1)} ms errors ${result.errors} ${ok ? 'ok' : 'over'}`,
    );
    if (!ok) break;
    best = rate;
  }
  return best;
}

/** The median repetition's total, then its parts, largest first. */
function breakdown(costs: CpuCost[]): string {
  const median = [...costs].sort((a, b) => a.total - b.total)[Math.floor(costs.length / 2)];
  return Object.entries(median ?? {})
    .filter(([part]) => part !== 'total')
    .sort((a, b) => b[1] - a[1])
    .map(([part, ms]) => `${part} ${ms.toFixed(1)} ms`)
    .join(', ');
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
