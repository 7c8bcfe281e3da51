import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BrokerKind, TradingMode } from '@tradecore/contracts';

@Entity({ name: 'broker_accounts' })
export class BrokerAccountEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  broker!: BrokerKind;

  @Column({ type: 'text' })
  mode!: TradingMode;

  @Column({ name: 'external_account_id', type: 'text' })
  externalAccountId!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ name: 'account_type', type: 'text', nullable: true })
  accountType!: string | null;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'virtual_account_id', type: 'uuid', nullable: true })
  virtualAccountId!: string | null;

  @Column({ type: 'text' })
  status!: 'ACTIVE' | 'DELETED' | 'CLOSED';

  @Column({ type: 'numeric', nullable: true })
  cash!: string | null;

  @Column({ name: 'buying_power', type: 'numeric', nullable: true })
  buyingPower!: string | null;

  @Column({ type: 'numeric', nullable: true })
  equity!: string | null;

  @Column({ name: 'balance_as_of', type: 'timestamptz', nullable: true })
  balanceAsOf!: Date | null;

  @Column({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'equity_history' })
export class EquityPointEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @PrimaryColumn({ name: 'as_of', type: 'timestamptz' })
  asOf!: Date;

  @Column({ type: 'numeric' })
  equity!: string;

  @Column({ type: 'numeric' })
  cash!: string;

  @Column({ name: 'buying_power', type: 'numeric' })
  buyingPower!: string;
}
