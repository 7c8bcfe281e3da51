import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { GatewayClient } from '../lib/gateway-client';
import { kafkaProduceToConsume, postgresInsertsPerSecond } from './baselines';
import { cpuPerOperation, cpuSnapshot } from './cpu-accounting';
import { fixedRate, type Lane, type LoadResult } from './load';
import { save, table, type Row } from './report';
import { accountReads, orderLanes, propagation, provisionTraders, runSagas } from './scenarios';
import { percentile, spread } from './stats';
import { RunningSuite, startSuite } from './suite-process';

// `npm run bench`: the whole suite under the launcher on its own ports, database and Redis
// index, measured through the gateway against raw baselines taken in the same run.
const DEFAULTS: Record<string, string> = {
  GATEWAY_PORT: '3200',
  DEV_BROKER_PORT: '9292',
  DEV_BROKER_DATA_DIR: '.data/kafka-bench',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tradecore_bench',
  REDIS_URL: 'redis://127.0.0.1:6379/4',
  RATE_LIMIT_MAX: '1000000',
  LOG_LEVEL: 'warn',
};
const env = { ...process.env };
for (const [key, value] of Object.entries(DEFAULTS)) env[key] ??= value;
const REPS = Number(process.env.BENCH_REPS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const RATES = [100, 300, 1000];
const BURST = Number(process.env.BENCH_SAGA_BURST ?? 200);
const LADDER = [25, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000];
const RESULTS = join(__dirname, '../../bench/results');

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

/** CPU milliseconds per operation, per process and in total, for one repetition. */
type CpuCost = Record<string, number>;

async function measure(suite: RunningSuite): Promise<void> {
  const { gatewayUrl } = suite;
  const snapshot = () => cpuSnapshot(suite.pid, env.DATABASE_URL!);
  const cpu: Record<'noop' | 'write' | 'saga', CpuCost[]> = { noop: [], write: [], saga: [] };
  const client = new GatewayClient(gatewayUrl);
  const admin = await client.login(
    env.ADMIN_EMAIL ?? 'admin@tradecore.local',
    env.ADMIN_PASSWORD ?? 'Admin-Passw0rd!',
  );
  const traders = await provisionTraders(client, 10, 10);
  const writes = orderLanes(traders);
  const reads = accountReads(traders);
  const noop: Lane[] = Array.from({ length: 100 }, () => [
    { method: 'GET', path: '/health/live', headers: {} },
  ]);

  console.log('bench: warm-up');
  await fixedRate(gatewayUrl, noop, 300, 3);
  await fixedRate(gatewayUrl, writes, 300, 5);
  await fixedRate(gatewayUrl, reads, 300, 3);

  const http: Record<string, LoadResult[]> = {};
  for (let rep = 0; rep < REPS; rep++) {
    for (const rate of RATES) {
      for (const [name, requests] of [
        ['noop', noop],
        ['write', writes],
        ['read', reads],
      ] as const) {
        const before = await snapshot();
        const result = await fixedRate(gatewayUrl, requests, rate, SECONDS);
        if (rate === 300 && name !== 'read')
          cpu[name].push(cpuPerOperation(before, await snapshot(), result.requests));
        (http[`${name}@${rate}`] ??= []).push(result);
        console.log(
          `bench: ${name} @ ${rate}/s rep ${rep + 1}: p50 ${result.p50.toFixed(1)} p99 ${result.p99.toFixed(1)} ms, achieved ${Math.round(result.achieved)}/s, statuses ${JSON.stringify(result.statuses)}`,
        );
      }
    }
  }

  console.log('bench: highest sustained write rate (p99 ≤ 50 ms, ≥ 95% of the rate achieved, no errors)');
  const sustained: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    let best = 0;
    for (const rate of LADDER) {
      const result = await fixedRate(gatewayUrl, writes, rate, SECONDS);
      const ok = result.p99 <= 50 && result.achieved >= rate * 0.95 && result.errors === 0;
      console.log(
        `bench:   ${rate}/s: achieved ${Math.round(result.achieved)}/s p99 ${result.p99.toFixed(1)} ms errors ${result.errors} ${ok ? 'ok' : 'over'}`,
      );
      if (!ok) break;
      best = rate;
    }
    sustained.push(best);
  }

  console.log(`bench: sagas one at a time (latency) and ${BURST} at once (throughput)`);
  const sagaLatency: number[][] = [];
  const propagationRuns: number[][] = [];
  const sagaRates: number[] = [];
  const propagationUnderLoad: number[][] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const single = await runSagas(client, admin, traders, 20, 1);
    sagaLatency.push(single.endToEnd);
    propagationRuns.push(await propagation(env.DATABASE_URL!, single.startedAt));
    const before = await snapshot();
    const burst = await runSagas(client, admin, traders, BURST, 32);
    cpu.saga.push(cpuPerOperation(before, await snapshot(), BURST));
    sagaRates.push(burst.perSecond);
    propagationUnderLoad.push(await propagation(env.DATABASE_URL!, burst.startedAt));
    console.log(
      `bench: sagas rep ${rep + 1}: p50 ${percentile(single.endToEnd, 50)} ms, ${burst.perSecond.toFixed(0)} sagas/s`,
    );
  }

  console.log('bench: raw baselines');
  const inserts: number[] = [];
  const kafka: number[][] = [];
  for (let rep = 0; rep < REPS; rep++) {
    inserts.push(await postgresInsertsPerSecond(env.DATABASE_URL!, 3));
    kafka.push(await kafkaProduceToConsume([`127.0.0.1:${env.DEV_BROKER_PORT}`], 200));
  }

  const rows = buildRows(
    cpu,
    http,
    sustained,
    sagaLatency,
    sagaRates,
    propagationRuns,
    propagationUnderLoad,
    inserts,
    kafka,
  );
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
      'propagation = broker-connection event occurred_at → handled_at of the user-account and broker-account consumers (inbox rows), during one-at-a-time sagas; "under saga load" during the saga bursts.',
      ...(['write', 'saga'] as const).map(
        (name) => `CPU per ${name} (median repetition), by process: ${breakdown(cpu[name])}.`,
      ),
      "CPU = utime + stime from /proc of the launcher (with its embedded dev broker), each app, and the PostgreSQL backends of the suite's database, sampled before and after the run, divided by the operations done; on 2 cores, 2,000 ms of CPU per second is all there is.",
      `saga = connection requestedAt → BrokerConnection saga finishedAt (virtual broker, 4 steps, 9 Kafka hops), sagas one at a time; sagas/s = ${BURST} requests, 32 in flight ÷ (last finish − first request).`,
    ],
  );
  console.log(`bench: wrote ${RESULTS}/latest.json and latest.md`);
}

function breakdown(costs: CpuCost[]): string {
  const median = [...costs].sort((a, b) => a.total - b.total)[Math.floor(costs.length / 2)];
  return Object.entries(median ?? {})
    .filter(([part]) => part !== 'total')
    .sort((a, b) => b[1] - a[1])
    .map(([part, ms]) => `${part} ${ms.toFixed(1)} ms`)
    .join(', ');
}

function buildRows(
  cpu: Record<'noop' | 'write' | 'saga', CpuCost[]>,
  http: Record<string, LoadResult[]>,
  sustained: number[],
  sagaLatency: number[][],
  sagaRates: number[],
  propagationRuns: number[][],
  propagationUnderLoad: number[][],
  inserts: number[],
  kafka: number[][],
): Row[] {
  const insertRate = spread(inserts).median;
  const kafkaP50 = spread(kafka.map((run) => percentile(run, 50))).median;
  const kafkaP99 = spread(kafka.map((run) => percentile(run, 99))).median;
  const rows: Row[] = [];
  for (const rate of RATES) {
    const noopP = (p: 'p50' | 'p95' | 'p99') => spread(http[`noop@${rate}`].map((r) => r[p])).median;
    for (const name of ['write', 'read'] as const) {
      for (const p of ['p50', 'p95', 'p99'] as const) {
        const value = spread(http[`${name}@${rate}`].map((r) => r[p]));
        const target =
          name === 'write' && rate === 300 && p === 'p99' ? { target: '≤ 10', met: value.median <= 10 } : {};
        rows.push({
          metric: `${name} ${p} @ ${rate}/s`,
          unit: 'ms',
          value,
          baselineName: `no-op ${p}`,
          baseline: noopP(p),
          ...target,
        });
      }
    }
    rows.push({
      metric: `no-op p99 @ ${rate}/s`,
      unit: 'ms',
      value: spread(http[`noop@${rate}`].map((r) => r.p99)),
      baselineName: 'itself',
      baseline: noopP('p99'),
    });
  }
  rows.push({
    metric: 'highest write rate with p99 ≤ 50 ms',
    unit: 'req/s',
    value: spread(sustained),
    baselineName: 'PG INSERT+COMMIT/s',
    baseline: insertRate,
  });
  for (const [label, runs, p] of [
    ['propagation p50', propagationRuns, 50],
    ['propagation p99', propagationRuns, 99],
    ['propagation p99 under saga load', propagationUnderLoad, 99],
  ] as const) {
    const value = spread(runs.map((run) => percentile(run, p)));
    const target = label === 'propagation p99' ? { target: '≤ 30', met: value.median <= 30 } : {};
    rows.push({
      metric: label,
      unit: 'ms',
      value,
      baselineName: `kafkajs p${p}`,
      baseline: p === 50 ? kafkaP50 : kafkaP99,
      ...target,
    });
  }
  const sagaP50 = spread(sagaLatency.map((run) => percentile(run, 50)));
  rows.push({
    metric: 'BrokerConnection saga p50',
    unit: 'ms',
    value: sagaP50,
    baselineName: 'kafkajs p50',
    baseline: kafkaP50,
    target: '≤ 100',
    met: sagaP50.median <= 100,
  });
  rows.push({
    metric: 'BrokerConnection saga p99',
    unit: 'ms',
    value: spread(sagaLatency.map((run) => percentile(run, 99))),
    baselineName: 'kafkajs p99',
    baseline: kafkaP99,
  });
  const rate = spread(sagaRates);
  rows.push({
    metric: 'sagas completed at saturation',
    unit: '/s',
    value: rate,
    baselineName: 'PG INSERT+COMMIT/s',
    baseline: insertRate,
    target: '≥ 200',
    met: rate.median >= 200,
  });
  const noopCpu = spread(cpu.noop.map((cost) => cost.total)).median;
  for (const [metric, costs] of [
    ['CPU per write @ 300/s, all processes', cpu.write],
    ['CPU per saga (burst), all processes', cpu.saga],
    ['CPU per no-op request @ 300/s', cpu.noop],
  ] as const) {
    rows.push({
      metric,
      unit: 'ms',
      value: spread(costs.map((cost) => cost.total)),
      baselineName: costs === cpu.noop ? 'itself' : 'no-op CPU',
      baseline: noopCpu,
    });
  }
  rows.push({
    metric: 'raw: PG single-row INSERT+COMMIT',
    unit: '/s',
    value: spread(inserts),
    baselineName: 'itself',
    baseline: insertRate,
  });
  rows.push({
    metric: 'raw: kafkajs produce→consume p50',
    unit: 'ms',
    value: spread(kafka.map((run) => percentile(run, 50))),
    baselineName: 'itself',
    baseline: kafkaP50,
  });
  rows.push({
    metric: 'raw: kafkajs produce→consume p99',
    unit: 'ms',
    value: spread(kafka.map((run) => percentile(run, 99))),
    baselineName: 'itself',
    baseline: kafkaP99,
  });
  return rows;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
