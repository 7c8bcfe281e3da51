import { mkdirSync, writeFileSync } from 'node:fs';
import { sourceRevision } from '../lib/source-revision';
import { join } from 'node:path';
import type { Spread } from './stats';

export interface Row {
  readonly metric: string;
  readonly unit: string;
  readonly value: Spread;
  readonly baselineName: string;
  readonly baseline: number;
  readonly target?: string;
  readonly met?: boolean;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

function cells(row: Row): string[] {
  return [
    row.metric,
    row.unit,
    format(row.value.median),
    format(row.value.min),
    format(row.value.max),
    `${format(row.baseline)} (${row.baselineName})`,
    ratio(row.value.median / row.baseline),
    row.target ? `${row.target} ${row.met ? 'met' : 'MISSED'}` : '-',
  ];
}

function ratio(value: number): string {
  return `${value !== 0 && Math.abs(value) < 0.01 ? value.toPrecision(2) : value.toFixed(2)}x`;
}

const HEADER = ['metric', 'unit', 'median', 'min', 'max', 'raw baseline (same run)', 'ratio', 'target'];

export function table(rows: readonly Row[]): string {
  const lines = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (line: string[]) => `| ${line.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [render(HEADER), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(render)].join(
    '\n',
  );
}

export function save(
  directory: string,
  rows: readonly Row[],
  meta: Record<string, unknown>,
  notes: string[],
): void {
  mkdirSync(directory, { recursive: true });
  const commit = sourceRevision();
  writeFileSync(join(directory, 'latest.json'), `${JSON.stringify({ ...meta, commit, rows }, null, 2)}\n`);
  const markdown = [
    `# TradeCore end-to-end benchmark — ${String(meta.finishedAt)}`,
    '',
    `Commit: ${commit}.`,
    '',
    `Machine: ${String(meta.machine)}. Medians of ${String(meta.repetitions)} repetitions, min and max beside them;`,
    'ratio = median ÷ the raw baseline measured in the same run. Method: docs/performance.md.',
    '',
    table(rows),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  writeFileSync(join(directory, 'latest.md'), markdown);
}
