import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message seen on a topic, a command the orchestrator sent, a service's telemetry about handling one, or an HTTP request a service answered. */
export type TraceKind = 'message' | 'command' | 'processed' | 'http';

@Entity('trace_entry')
export class TraceEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  kind!: TraceKind;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'stream_id', type: 'text', nullable: true })
  streamId!: string | null;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'causation_id', type: 'text', nullable: true })
  causationId!: string | null;

  @Column({ name: 'saga_id', type: 'text', nullable: true })
  sagaId!: string | null;

  @Column({ name: 'saga_step', type: 'text', nullable: true })
  sagaStep!: string | null;

  @Column({ type: 'text', nullable: true })
  service!: string | null;

  @Column({ type: 'text', nullable: true })
  consumer!: string | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ name: 'lag_ms', type: 'integer', nullable: true })
  lagMs!: number | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'seen_at', type: 'timestamptz' })
  seenAt!: Date;

  @Column({ type: 'jsonb', nullable: true, select: false })
  envelope!: unknown;

  /** The id of the message the row was recorded from; null on rows recorded before it was kept. */
  @Column({ name: 'source_id', type: 'text', nullable: true, select: false })
  sourceId!: string | null;
}
