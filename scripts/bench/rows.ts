import type { CpuCost } from './cpu-meter';
import type { LoadResult } from './load';
import type { Row } from './report';
import type { SignalLatencies } from './signals';
import { percentile, spread } from './stats';

export const RATES = [100, 300, 1000];

export interface Measured {
  readonly cpu: Record<'noop' | 'write' | 'saga', CpuCost[]>;
  readonly http: Record<string, LoadResult[]>;
  readonly sustained: number[];
  readonly sagaLatency: number[][];
  readonly sagaRates: number[];
  readonly propagationRuns: number[][];
  readonly propagationUnderLoad: number[][];
  readonly fillToBalanceRuns: number[][];
  readonly signalLatency: SignalLatencies[];
  readonly signalRates: number[];
  readonly inserts: number[];
  readonly kafka: number[][];
}

/** The report's rows: every figure as the median of the repetitions, beside its same-run baseline. */
export function buildRows({
  cpu,
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
}: Measured): Row[] {
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
  for (const p of [50, 99] as const) {
    const value = spread(fillToBalanceRuns.map((run) => percentile(run, p)));
    rows.push({
      metric: `fill → balance visible p${p}`,
      unit: 'ms',
      value,
      baselineName: `kafkajs p${p}`,
      baseline: p === 50 ? kafkaP50 : kafkaP99,
      ...(p === 99 && { target: '≤ 1000', met: value.median <= 1000 }),
    });
  }
  for (const [step, p] of [
    ['placed', 50],
    ['placed', 99],
    ['filled', 50],
    ['filled', 99],
  ] as const) {
    const value = spread(signalLatency.map((run) => percentile(run[step], p)));
    rows.push({
      metric: `webhook → order ${step} p${p}`,
      unit: 'ms',
      value,
      baselineName: `kafkajs p${p}`,
      baseline: p === 50 ? kafkaP50 : kafkaP99,
      ...(step === 'filled' && p === 50 && { target: '≤ 30', met: value.median <= 30 }),
    });
  }
  rows.push({
    metric: 'webhook signals filled at saturation',
    unit: '/s',
    value: spread(signalRates),
    baselineName: 'PG INSERT+COMMIT/s',
    baseline: insertRate,
  });
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
