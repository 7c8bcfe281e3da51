import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { GatewayClient } from '../lib/gateway-client';
import { burstRows } from './burst';
import { cpuSnapshot, SuiteBackends } from './cpu-accounting';
import { CpuMeter, type CpuCost } from './cpu-meter';
import { fanOutRows } from './fanout';
import { fixedRate, type Lane, type LoadResult } from './load';
import { save, table } from './report';
import { buildRows, RATES } from './rows';
import {
  type BenchContext,
  fanOutRuns,
  fillToBalanceRuns,
  orderBurstRuns,
  rawBaselines,
  sagaRuns,
  signalRuns,
  sustainedWriteRates,
} from './scenario-runs';
import { accountReads, orderLanes, provisionTraders } from './scenarios';
import { spread } from './stats';
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
// The suite idles at ~350 ms of CPU a second (consumers' fetches, relays, the market tick), ±70 ms
// from one 3 s window to the next: what a 3 s calibration got wrong was charged to every run.
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 15);
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
  const backends = new SuiteBackends(env.DATABASE_URL!);
  try {
    await measure(suite, backends);
  } finally {
    await backends.close();
    await suite.stop();
  }
}

async function measure(suite: RunningSuite, backends: SuiteBackends): Promise<void> {
  const { gatewayUrl } = suite;
  const meter = new CpuMeter(() => cpuSnapshot(suite.pid, backends));
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
  await meter.calibrate(IDLE_SECONDS);

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

  const bench: BenchContext = {
    meter,
    client,
    adminToken: admin,
    traders,
    gatewayUrl,
    databaseUrl: env.DATABASE_URL!,
    brokers: [`127.0.0.1:${env.DEV_BROKER_PORT}`],
    reps: REPS,
    seconds: SECONDS,
    cpu,
  };
  const sustained = runs('ladder') ? await sustainedWriteRates(bench, writes) : [];
  const { sagaLatency, propagationRuns, sagaRates, propagationUnderLoad } = runs('sagas')
    ? await sagaRuns(bench, BURST)
    : { sagaLatency: [], propagationRuns: [], sagaRates: [], propagationUnderLoad: [] };
  const fillToBalance = runs('fill') ? await fillToBalanceRuns(bench) : [];
  const bursts = runs('burst') ? await orderBurstRuns(bench) : [];
  const fanOut = runs('fanout') ? await fanOutRuns(bench) : [];
  const { signalLatency, signalRates } = runs('signals')
    ? await signalRuns(bench)
    : { signalLatency: [], signalRates: [] };
  const { inserts, kafka } = runs('raw') ? await rawBaselines(bench) : { inserts: [], kafka: [] };

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
      fillToBalanceRuns: fillToBalance,
      signalLatency,
      signalRates,
      inserts,
      kafka,
    }),
    ...burstRows(bursts),
    ...fanOutRows(fanOut, kafka),
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
