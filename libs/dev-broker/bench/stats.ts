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
  readonly baseline: number;
  readonly target: string;
}

/** Medians, spread and p99 of each metric, with the ratio to its raw loopback baseline. */
export function printTable(rows: readonly Row[]): void {
  const header = ['metric', 'median', 'min', 'max', 'p99', 'raw baseline', 'ratio', 'target'];
  const lines = rows.map((row) => [
    row.metric,
    format(median(row.reps)),
    format(Math.min(...row.reps)),
    format(Math.max(...row.reps)),
    row.p99 === undefined ? '-' : format(row.p99),
    format(row.baseline),
    `${(median(row.reps) / row.baseline).toFixed(2)}x`,
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
