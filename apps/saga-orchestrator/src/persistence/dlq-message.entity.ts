import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DlqMessageStatus = 'pending' | 'replayed' | 'discarded';

/** A mirror of one message on any service's `<topic>.dlq`, so operators browse and replay in one place. */
@Entity('dlq_message')
export class DlqMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'dlq_topic', type: 'text' })
  dlqTopic!: string;

  @Column({ type: 'integer' })
  partition!: number;

  @Column({ type: 'text' })
  offset!: string;

  @Column({ name: 'original_topic', type: 'text' })
  originalTopic!: string;

  @Column({ name: 'consumer_group', type: 'text', nullable: true })
  consumerGroup!: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ name: 'message_type', type: 'text', nullable: true })
  messageType!: string | null;

  @Column({ type: 'text', nullable: true })
  key!: string | null;

  @Column({ type: 'text', nullable: true })
  value!: string | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'integer', nullable: true })
  attempts!: number | null;

  @Column({ type: 'text' })
  status!: DlqMessageStatus;

  @Column({ name: 'replay_count', type: 'integer', default: 0 })
  replayCount!: number;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
