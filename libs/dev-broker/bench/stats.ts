export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface Row {
  readonly metric: string;
  readonly reps: readonly number[];
  readonly p99?: number;
  /** Loopback TCP doing the same exchange, where one is comparable. */
  readonly baseline?: number;
  /** Share of one core the broker process used during the row (1 = a whole core: it was the bottleneck). */
  readonly brokerCpu?: number;
  readonly target: string;
}

/** Medians, spread and p99 of each metric, the broker's CPU, and the ratio to a raw loopback baseline. */
export function printTable(rows: readonly Row[]): void {
  const header = ['metric', 'median', 'min', 'max', 'p99', 'broker CPU', 'raw baseline', 'ratio', 'target'];
  const lines = rows.map((row) => [
    row.metric,
    format(median(row.reps)),
    format(Math.min(...row.reps)),
    format(Math.max(...row.reps)),
    row.p99 === undefined ? '-' : format(row.p99),
    row.brokerCpu === undefined ? '-' : `${Math.round(row.brokerCpu * 100)}%`,
    row.baseline === undefined ? '-' : format(row.baseline),
    row.baseline === undefined ? '-' : `${(median(row.reps) / row.baseline).toFixed(2)}x`,
    row.target,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(render(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(render(line));
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(3);
}
