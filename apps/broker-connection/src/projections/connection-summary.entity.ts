import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BrokerKind, Reason, TradingMode } from '@tradecore/contracts';
import type { ConnectionStatus } from '../domain/broker-connection.decider';

/** What the owner sees of a connection; never holds credentials. */
@Entity({ name: 'connections' })
export class ConnectionSummaryEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'uuid' })
  connectionId!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  broker!: BrokerKind;

  @Column({ type: 'text' })
  mode!: TradingMode;

  @Column({ type: 'text' })
  status!: ConnectionStatus;

  @Column({ type: 'jsonb', nullable: true })
  failure!: Reason | null;

  /** Why it is DEGRADED, OFFLINE or NEEDS_REAUTH. */
  @Column({ name: 'status_reason', type: 'jsonb', nullable: true })
  statusReason!: Reason | null;

  @Column({ name: 'linked_account_ids', type: 'jsonb' })
  linkedAccountIds!: string[];

  @Column({ name: 'virtual_account_ids', type: 'jsonb' })
  virtualAccountIds!: string[];

  @Column({ name: 'disconnection_id', type: 'uuid', nullable: true })
  disconnectionId!: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'int' })
  version!: number;
}
