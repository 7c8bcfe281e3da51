import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PaperLedger } from '../domain/paper-ledger';

@Entity({ name: 'paper_ledgers' })
export class PaperLedgerEntity {
  @PrimaryColumn({ name: 'virtual_account_id', type: 'uuid' })
  virtualAccountId!: string;

  @Column({ type: 'jsonb' })
  ledger!: PaperLedger;

  /** Symbols held, so a mark finds the ledgers it revalues through an index. */
  @Column({ type: 'text', array: true })
  symbols!: string[];

  @Column({ type: 'numeric', nullable: true })
  cash!: string | null;

  @Column({ name: 'buying_power', type: 'numeric', nullable: true })
  buyingPower!: string | null;

  @Column({ type: 'numeric', nullable: true })
  equity!: string | null;

  @Column({ name: 'as_of', type: 'timestamptz' })
  asOf!: Date;
}

@Entity({ name: 'paper_equity_history' })
export class PaperEquityPointEntity {
  @PrimaryColumn({ name: 'virtual_account_id', type: 'uuid' })
  virtualAccountId!: string;

  @PrimaryColumn({ name: 'as_of', type: 'timestamptz' })
  asOf!: Date;

  @Column({ type: 'numeric' })
  equity!: string;

  @Column({ type: 'numeric' })
  cash!: string;

  @Column({ name: 'buying_power', type: 'numeric' })
  buyingPower!: string;
}

@Entity({ name: 'market_marks' })
export class MarketMarkEntity {
  @PrimaryColumn({ type: 'text' })
  symbol!: string;

  @Column({ name: 'twice_mark_cents', type: 'bigint' })
  twiceMarkCents!: string;

  @Column({ name: 'marked_at', type: 'timestamptz' })
  markedAt!: Date;
}
