import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceRevision } from '../../../scripts/lib/source-revision';

interface Row {
  scenario: string;
  faults: number;
  survived: number;
  lost: number;
  inputs: number;
  fiveXx: number;
  notes?: string;
}

/** The table a reader checks first: what was done to the system and what it lost. */
export class ChaosSummary {
  private readonly rows: Row[] = [];
  private readonly durations: { scenario: string; ms: number }[] = [];
  private readonly started = new Date();

  constructor(private readonly version: 'full' | 'short') {}

  add(scenario: string, row: Partial<Omit<Row, 'scenario'>>): void {
    this.rows.push({ scenario, faults: 0, survived: 0, lost: 0, inputs: 0, fiveXx: 0, ...row });
  }

  /** How long each scenario took, so a slow run shows where its time went. */
  timed(scenario: string, ms: number): void {
    this.durations.push({ scenario, ms });
  }

  table(): string {
    const header = '| scenario | faults injected | survived | data lost | inputs tried | 5xx seen |';
    const lines = this.rows.map(
      (row) =>
        `| ${row.scenario} | ${row.faults} | ${row.survived} | ${row.lost} | ${row.inputs} | ${row.fiveXx} |`,
    );
    const total = this.rows.reduce(
      (sum, row) => ({
        faults: sum.faults + row.faults,
        survived: sum.survived + row.survived,
        lost: sum.lost + row.lost,
        inputs: sum.inputs + row.inputs,
        fiveXx: sum.fiveXx + row.fiveXx,
      }),
      { faults: 0, survived: 0, lost: 0, inputs: 0, fiveXx: 0 },
    );
    return [
      header,
      '|---|---:|---:|---:|---:|---:|',
      ...lines,
      `| **total** | ${total.faults} | ${total.survived} | ${total.lost} | ${total.inputs} | ${total.fiveXx} |`,
    ].join('\n');
  }

  write(): void {
    if (this.rows.length === 0) return;
    const directory = join(__dirname, '../../../bench/results');
    mkdirSync(directory, { recursive: true });
    const name = this.version === 'full' ? 'chaos-latest' : 'chaos-short-latest';
    const notes = this.rows.filter((row) => row.notes).map((row) => `- ${row.scenario}: ${row.notes}`);
    const commit = sourceRevision();
    const markdown = [
      `# Chaos run (${this.version}), ${this.started.toISOString()}`,
      '',
      `Commit: ${commit}.`,
      '',
      this.table(),
      '',
      ...notes,
      '',
      '| scenario | seconds |',
      '|---|---:|',
      ...this.durations.map((entry) => `| ${entry.scenario} | ${(entry.ms / 1000).toFixed(1)} |`),
      '',
    ].join('\n');
    writeFileSync(join(directory, `${name}.md`), markdown);
    writeFileSync(
      join(directory, `${name}.json`),
      JSON.stringify(
        {
          version: this.version,
          commit,
          startedAt: this.started,
          finishedAt: new Date(),
          rows: this.rows,
          durations: this.durations,
        },
        null,
        2,
      ),
    );
    console.log(`\n${markdown}`);
  }
}
