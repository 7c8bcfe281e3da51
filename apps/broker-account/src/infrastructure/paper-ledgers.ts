import { Injectable } from '@nestjs/common';
import { ArrayOverlap, In, type EntityManager } from 'typeorm';
import { formatCents } from '../domain/cents';
import { applyToLedger, balanceOf, emptyLedger, LedgerChange, PaperLedger } from '../domain/paper-ledger';
import {
  MarketMarkEntity,
  PaperEquityPointEntity,
  PaperLedgerEntity,
} from '../projections/paper-ledger.entity';

const heldSymbols = (ledger: PaperLedger) =>
  Object.entries(ledger.positions)
    .filter(([, position]) => position.quantity !== 0)
    .map(([symbol]) => symbol)
    .sort();

/**
 * Paper ledgers, each changed under its row lock (fills and marks arrive on different
 * partitions, possibly at different replicas), with its balance and an equity point written in
 * the same transaction, so what the owner reads is never between two events.
 */
@Injectable()
export class PaperLedgers {
  async apply(
    manager: EntityManager,
    virtualAccountId: string,
    change: LedgerChange,
    at: Date,
  ): Promise<void> {
    const rows = manager.getRepository(PaperLedgerEntity);
    await rows
      .createQueryBuilder()
      .insert()
      .values({ virtualAccountId, ledger: emptyLedger, symbols: [], asOf: at })
      .orIgnore()
      .execute();
    const row = await rows.findOneOrFail({
      where: { virtualAccountId },
      lock: { mode: 'pessimistic_write' },
    });
    let ledger = applyToLedger(row.ledger, change);
    if (change.type === 'Filled')
      ledger = applyToLedger(ledger, await this.marksOf(manager, [change.symbol]));
    await this.save(manager, virtualAccountId, ledger, at);
  }

  /** Revalues every ledger holding a marked symbol; marks older than the stored ones change nothing. */
  async mark(manager: EntityManager, twiceMarkCents: Record<string, number>, at: Date): Promise<void> {
    const symbols = Object.keys(twiceMarkCents);
    if (symbols.length === 0) return;
    await manager.query(
      `INSERT INTO ${manager.getRepository(MarketMarkEntity).metadata.tablePath} AS mark (symbol, twice_mark_cents, marked_at)
       SELECT symbol, twice, $3::timestamptz FROM unnest($1::text[], $2::bigint[]) AS marked (symbol, twice)
       ON CONFLICT (symbol) DO UPDATE SET twice_mark_cents = excluded.twice_mark_cents, marked_at = excluded.marked_at
       WHERE mark.marked_at < excluded.marked_at`,
      [symbols, symbols.map((symbol) => twiceMarkCents[symbol]), at.toISOString()],
    );
    const current = await this.marksOf(manager, symbols);
    const held = await manager.getRepository(PaperLedgerEntity).find({
      where: { symbols: ArrayOverlap(symbols) },
      order: { virtualAccountId: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const row of held) {
      const ledger = applyToLedger(row.ledger, current);
      if (JSON.stringify(ledger) !== JSON.stringify(row.ledger))
        await this.save(manager, row.virtualAccountId, ledger, at);
    }
  }

  private async marksOf(manager: EntityManager, symbols: readonly string[]): Promise<LedgerChange> {
    const marks = await manager.getRepository(MarketMarkEntity).findBy({ symbol: In([...symbols]) });
    return {
      type: 'Marked',
      twiceMarkCents: Object.fromEntries(marks.map((mark) => [mark.symbol, Number(mark.twiceMarkCents)])),
    };
  }

  private async save(manager: EntityManager, virtualAccountId: string, ledger: PaperLedger, at: Date) {
    const balance = balanceOf(ledger);
    const money = balance && {
      cash: formatCents(balance.cashCents),
      buyingPower: formatCents(balance.buyingPowerCents),
      equity: formatCents(balance.equityCents),
    };
    await manager
      .getRepository(PaperLedgerEntity)
      .update({ virtualAccountId }, { ledger, symbols: heldSymbols(ledger), asOf: at, ...money });
    if (money)
      await manager
        .getRepository(PaperEquityPointEntity)
        .upsert({ virtualAccountId, asOf: at, ...money }, ['virtualAccountId', 'asOf']);
  }
}
