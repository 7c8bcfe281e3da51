import type { DataSource, EntityManager } from 'typeorm';
import { applyToLedger, type PaperLedger } from '../domain/paper-ledger';
import { MarketMarkEntity } from '../projections/paper-ledger.entity';

/**
 * The market's latest marks, so a read values paper positions as the virtual broker does now,
 * not as of the ledger's last revaluation (which a tick does only once a period).
 */
export async function latestMarks(source: DataSource | EntityManager): Promise<Record<string, number>> {
  const table = source.getRepository(MarketMarkEntity).metadata.tablePath;
  const marks = (await source.query(`SELECT symbol, twice_mark_cents FROM ${table}`)) as {
    symbol: string;
    twice_mark_cents: string;
  }[];
  return Object.fromEntries(marks.map((mark) => [mark.symbol, Number(mark.twice_mark_cents)]));
}

export const valuedAt = (ledger: PaperLedger, twiceMarkCents: Record<string, number>): PaperLedger =>
  applyToLedger(ledger, { type: 'Marked', twiceMarkCents });
