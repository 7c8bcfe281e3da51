import type { GatewayClient } from '../lib/gateway-client';
import { kafkaProduceToConsume, postgresInsertsPerSecond } from './baselines';
import { BURST_ORDERS, orderBurst, type BurstRun } from './burst';
import type { CpuCost, CpuMeter } from './cpu-meter';
import { realtimeFanOut } from './fanout';
import { fixedRate, type Lane } from './load';
import { fillToBalance, propagation, runSagas, type Trader } from './scenarios';
import { automationOf, signalBurst, signalsOneAtATime, type SignalLatencies } from './signals';
import { percentile } from './stats';

const LADDER = [25, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000];

/** What every scenario run measures with: the suite, its traders, and the CPU costs they add to. */
export interface BenchContext {
  readonly meter: CpuMeter;
  readonly client: GatewayClient;
  readonly adminToken: string;
  readonly traders: readonly Trader[];
  readonly gatewayUrl: string;
  readonly databaseUrl: string;
  readonly brokers: string[];
  readonly reps: number;
  readonly seconds: number;
  readonly cpu: Record<string, CpuCost[]>;
}

/** Per repetition, the highest write rate with p99 ≤ 50 ms, ≥ 95% of it achieved and no errors. */
export async function sustainedWriteRates(bench: BenchContext, writes: Lane[]): Promise<number[]> {
  console.log('bench: highest sustained write rate (p99 ≤ 50 ms, ≥ 95% of the rate achieved, no errors)');
  const sustained: number[] = [];
  for (let rep = 0; rep < bench.reps; rep++) {
    let best = 0;
    for (const rate of LADDER) {
      await bench.meter.settle();
      const result = await fixedRate(bench.gatewayUrl, writes, rate, bench.seconds);
      const ok = result.p99 <= 50 && result.achieved >= rate * 0.95 && result.errors === 0;
      console.log(
        `bench:   ${rate}/s: achieved ${Math.round(result.achieved)}/s p99 ${result.p99.toFixed(1)} ms errors ${result.errors} ${ok ? 'ok' : 'over'}`,
      );
      if (!ok) break;
      best = rate;
    }
    sustained.push(best);
  }
  return sustained;
}

export async function sagaRuns(bench: BenchContext, burstSize: number) {
  const { meter, client, adminToken, traders, databaseUrl } = bench;
  const runs = {
    sagaLatency: [] as number[][],
    propagationRuns: [] as number[][],
    sagaRates: [] as number[],
    propagationUnderLoad: [] as number[][],
  };
  console.log(`bench: sagas one at a time (latency) and ${burstSize} at once (throughput)`);
  for (let rep = 0; rep < bench.reps; rep++) {
    await meter.settle();
    const single = await runSagas(client, adminToken, traders, 20, 1);
    runs.sagaLatency.push(single.endToEnd);
    runs.propagationRuns.push(await propagation(databaseUrl, single.startedAt));
    const { result: burst, cpu: cost } = await meter.measure(
      () => runSagas(client, adminToken, traders, burstSize, 32),
      () => burstSize,
    );
    (bench.cpu.saga ??= []).push(cost);
    runs.sagaRates.push(burst.perSecond);
    runs.propagationUnderLoad.push(await propagation(databaseUrl, burst.startedAt));
    console.log(
      `bench: sagas rep ${rep + 1}: p50 ${percentile(single.endToEnd, 50)} ms, ${burst.perSecond.toFixed(0)} sagas/s`,
    );
  }
  return runs;
}

export async function fillToBalanceRuns(bench: BenchContext): Promise<number[][]> {
  const runs: number[][] = [];
  console.log('bench: fill → balance visible in broker-account, one order at a time');
  for (let rep = 0; rep < bench.reps; rep++) {
    await bench.meter.settle();
    runs.push(await fillToBalance(bench.client, bench.traders[rep % bench.traders.length], 50));
    console.log(
      `bench: fill → balance rep ${rep + 1}: p50 ${percentile(runs[rep], 50).toFixed(1)} p99 ${percentile(runs[rep], 99).toFixed(1)} ms`,
    );
  }
  return runs;
}

export async function orderBurstRuns(bench: BenchContext): Promise<BurstRun[]> {
  const bursts: BurstRun[] = [];
  console.log(`bench: ${BURST_ORDERS} orders at once on one paper account`);
  for (let rep = 0; rep < bench.reps; rep++) {
    await bench.meter.settle();
    const trader = bench.traders[rep % bench.traders.length];
    const burst = await orderBurst(bench.client, trader, trader.accountIds[trader.accountIds.length - 1]);
    bursts.push(burst);
    console.log(
      `bench: burst rep ${rep + 1}: accepted ${burst.accepted}/${BURST_ORDERS} in ${burst.durationMs.toFixed(0)} ms, statuses ${JSON.stringify(burst.statuses)}`,
    );
  }
  return bursts;
}

export async function fanOutRuns(bench: BenchContext): Promise<number[][]> {
  const runs: number[][] = [];
  console.log('bench: real-time fan-out, 500 sockets receiving 10 updates/s each');
  for (let rep = 0; rep < bench.reps; rep++) {
    await bench.meter.settle();
    const run = await realtimeFanOut(bench.gatewayUrl, bench.traders, 500, 10, bench.seconds * 2);
    runs.push(run.latencies);
    console.log(
      `bench: fan-out rep ${rep + 1}: p50 ${percentile(run.latencies, 50).toFixed(1)} p99 ${percentile(run.latencies, 99).toFixed(1)} ms, ${run.perSocketPerSecond.toFixed(1)} updates/s per socket, ${run.cut} cut`,
    );
  }
  return runs;
}

export async function signalRuns(bench: BenchContext) {
  const { client, traders } = bench;
  const signalLatency: SignalLatencies[] = [];
  const signalRates: number[] = [];
  console.log(
    'bench: webhook signals one at a time (latency), then 500 at once to 5 automations (throughput)',
  );
  for (let rep = 0; rep < bench.reps; rep++) {
    await bench.meter.settle();
    const latency = await signalsOneAtATime(client, await automationOf(client, traders[rep]), 40);
    signalLatency.push(latency);
    const automations = [];
    for (const trader of traders.slice(0, 5)) automations.push(await automationOf(client, trader));
    signalRates.push(await signalBurst(client, automations, 100, 32));
    console.log(
      `bench: signals rep ${rep + 1}: webhook → placed p50 ${percentile(latency.placed, 50)} p99 ${percentile(latency.placed, 99)} ms, → filled p50 ${percentile(latency.filled, 50)} p99 ${percentile(latency.filled, 99)} ms, ${signalRates[rep].toFixed(0)} signals filled/s`,
    );
  }
  return { signalLatency, signalRates };
}

/** PostgreSQL inserts/s and Kafka produce → consume latencies without the suite in the way. */
export async function rawBaselines(bench: BenchContext) {
  const inserts: number[] = [];
  const kafka: number[][] = [];
  console.log('bench: raw baselines');
  for (let rep = 0; rep < bench.reps; rep++) {
    inserts.push(await postgresInsertsPerSecond(bench.databaseUrl, 3));
    kafka.push(await kafkaProduceToConsume(bench.brokers, 200));
  }
  return { inserts, kafka };
}
