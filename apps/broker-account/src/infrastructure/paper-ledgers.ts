import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { BrokerAccountEnv } from '../broker-account.env';
import { formatCents } from '../domain/cents';
import { startsRevaluationPeriod } from '../domain/revaluation-period';
import { applyToLedger, balanceOf, emptyLedger, LedgerChange, PaperLedger } from '../domain/paper-ledger';
import {
  MarketMarkEntity,
  PaperEquityPointEntity,
  PaperLedgerEntity,
} from '../projections/paper-ledger.entity';
import { RealtimeOwnerEntity } from '../projections/realtime-owner.entity';

/** A ledger as it stands after a change, for the owner's real-time channel. */
export interface SavedLedger {
  readonly virtualAccountId: string;
  readonly ledger: PaperLedger;
  readonly asOf: Date;
}

/** A ledger an event changed, with its owner when the owner lookup knows the account. */
export interface ChangedLedger extends SavedLedger {
  readonly userId: string | undefined;
}

const heldSymbols = (ledger: PaperLedger) =>
  Object.entries(ledger.positions)
    .filter(([, position]) => position.quantity !== 0)
    .map(([symbol]) => symbol)
    .sort();

/** Cash, buying power and equity as stored beside the ledger; null until the starting cash is known. */
function moneyOf(ledger: PaperLedger) {
  const balance = balanceOf(ledger);
  return {
    cash: balance ? formatCents(balance.cashCents) : null,
    buyingPower: balance ? formatCents(balance.buyingPowerCents) : null,
    equity: balance ? formatCents(balance.equityCents) : null,
  };
}

const tables = (manager: EntityManager) => ({
  ledgers: manager.getRepository(PaperLedgerEntity).metadata.tablePath,
  points: manager.getRepository(PaperEquityPointEntity).metadata.tablePath,
  marks: manager.getRepository(MarketMarkEntity).metadata.tablePath,
  owners: manager.getRepository(RealtimeOwnerEntity).metadata.tablePath,
});

/**
 * Paper ledgers, each changed under its row lock (fills and marks arrive on different
 * partitions, possibly at different replicas), with its balance and an equity point written in
 * the same transaction, so what the owner reads is never between two events.
 *
 * Plain SQL in a fixed number of statements: two for an event on one account; two for a market
 * tick, or five when it revalues, whatever the number of accounts. Ticks come every second; a
 * tick revalues the holding accounts only when it starts a new PAPER_REVALUATION_INTERVAL_MS
 * period (by the marks' own time, so a replay decides alike), while every event of an account
 * values all its positions at the latest marks.
 */
@Injectable()
export class PaperLedgers {
  private readonly revaluationMs: number;

  constructor(@Inject(ConfigService) config: ConfigService<BrokerAccountEnv, true>) {
    this.revaluationMs = config.get('PAPER_REVALUATION_INTERVAL_MS', { infer: true });
  }

  async apply(
    manager: EntityManager,
    virtualAccountId: string,
    change: LedgerChange,
    at: Date,
  ): Promise<ChangedLedger> {
    const { ledgers, marks, owners } = tables(manager);
    const filledSymbol = change.type === 'Filled' ? change.symbol : null;
    // Created if missing and locked in one round trip (a no-op DO UPDATE locks the row it meets);
    // a fill also brings the latest marks of every symbol held, and every change the account's
    // owner for its real-time channel.
    const [row] = (await manager.query(
      `INSERT INTO ${ledgers} AS l (virtual_account_id, ledger, symbols, as_of) VALUES ($1, $2::jsonb, '{}', $3)
       ON CONFLICT (virtual_account_id) DO UPDATE SET virtual_account_id = l.virtual_account_id
       RETURNING l.ledger, CASE WHEN $4::text IS NOT NULL THEN (
         SELECT jsonb_object_agg(symbol, twice_mark_cents) FROM ${marks}
         WHERE symbol = ANY(array_append(l.symbols, $4::text))) END AS marks,
         (SELECT user_id FROM ${owners} WHERE kind = 'virtual-account' AND id = $5::text) AS user_id`,
      [virtualAccountId, JSON.stringify(emptyLedger), at.toISOString(), filledSymbol, virtualAccountId],
    )) as { ledger: PaperLedger; marks: Record<string, string | number> | null; user_id: string | null }[];
    let ledger = applyToLedger(row.ledger, change);
    if (row.marks)
      ledger = applyToLedger(ledger, {
        type: 'Marked',
        twiceMarkCents: Object.fromEntries(Object.entries(row.marks).map(([s, twice]) => [s, Number(twice)])),
      });
    await this.save(manager, [{ virtualAccountId, ledger, asOf: at }], { symbolsChanged: true });
    return { virtualAccountId, ledger, asOf: at, userId: row.user_id ?? undefined };
  }

  /** Revalues every ledger holding a marked symbol; marks older than the stored ones change nothing. */
  async mark(manager: EntityManager, twiceMarkCents: Record<string, number>, at: Date): Promise<void> {
    const symbols = Object.keys(twiceMarkCents);
    if (symbols.length === 0) return;
    const { ledgers, marks } = tables(manager);
    const previous = (await manager.query(
      `SELECT symbol, marked_at FROM ${marks} WHERE symbol = ANY($1::text[])`,
      [symbols],
    )) as { symbol: string; marked_at: Date }[];
    await manager.query(
      `INSERT INTO ${marks} AS mark (symbol, twice_mark_cents, marked_at)
       SELECT symbol, twice, $3::timestamptz FROM unnest($1::text[], $2::bigint[]) AS marked (symbol, twice)
       ON CONFLICT (symbol) DO UPDATE SET twice_mark_cents = excluded.twice_mark_cents, marked_at = excluded.marked_at
       WHERE mark.marked_at < excluded.marked_at`,
      [symbols, symbols.map((symbol) => twiceMarkCents[symbol]), at.toISOString()],
    );
    const before = new Map(previous.map((mark) => [mark.symbol, mark.marked_at]));
    if (!startsRevaluationPeriod(at, before, symbols, this.revaluationMs)) return;
    const current = (await manager.query(
      `SELECT symbol, twice_mark_cents FROM ${marks} WHERE symbol = ANY($1::text[])`,
      [symbols],
    )) as { symbol: string; twice_mark_cents: string }[];
    const marked: LedgerChange = {
      type: 'Marked',
      twiceMarkCents: Object.fromEntries(current.map((m) => [m.symbol, Number(m.twice_mark_cents)])),
    };
    const held = (await manager.query(
      `SELECT virtual_account_id, ledger FROM ${ledgers} WHERE symbols && $1::text[]
       ORDER BY virtual_account_id FOR UPDATE`,
      [symbols],
    )) as { virtual_account_id: string; ledger: PaperLedger }[];
    const revalued = held
      .map((row) => ({ row, ledger: applyToLedger(row.ledger, marked) }))
      .filter(({ row, ledger }) => JSON.stringify(ledger) !== JSON.stringify(row.ledger))
      .map(({ row, ledger }) => ({ virtualAccountId: row.virtual_account_id, ledger, asOf: at }));
    await this.save(manager, revalued, { symbolsChanged: false });
  }

  /** The ledgers, their money columns and an equity point each, in one statement. */
  private async save(
    manager: EntityManager,
    saved: readonly SavedLedger[],
    { symbolsChanged }: { symbolsChanged: boolean },
  ): Promise<void> {
    if (saved.length === 0) return;
    const { ledgers, points } = tables(manager);
    const money = saved.map(({ ledger }) => moneyOf(ledger));
    await manager.query(
      `WITH changed AS (
         SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::text[], $4::timestamptz[], $5::numeric[], $6::numeric[], $7::numeric[])
           AS c (id, ledger, symbols, as_of, cash, buying_power, equity)
       ), saved AS (
         UPDATE ${ledgers} AS l SET ledger = c.ledger, as_of = c.as_of,
           symbols = CASE WHEN $8::boolean THEN string_to_array(c.symbols, ',') ELSE l.symbols END,
           cash = COALESCE(c.cash, l.cash), buying_power = COALESCE(c.buying_power, l.buying_power),
           equity = COALESCE(c.equity, l.equity)
         FROM changed AS c WHERE l.virtual_account_id = c.id
       )
       INSERT INTO ${points} (virtual_account_id, as_of, equity, cash, buying_power)
       SELECT id, as_of, equity, cash, buying_power FROM changed WHERE equity IS NOT NULL
       ON CONFLICT (virtual_account_id, as_of) DO UPDATE
         SET equity = excluded.equity, cash = excluded.cash, buying_power = excluded.buying_power`,
      [
        saved.map((s) => s.virtualAccountId),
        saved.map((s) => JSON.stringify(s.ledger)),
        saved.map((s) => heldSymbols(s.ledger).join(',')),
        saved.map((s) => s.asOf.toISOString()),
        money.map((m) => m.cash),
        money.map((m) => m.buyingPower),
        money.map((m) => m.equity),
        symbolsChanged,
      ],
    );
  }
}
