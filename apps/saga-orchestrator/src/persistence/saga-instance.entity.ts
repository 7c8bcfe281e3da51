import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SagaFailure, SagaStatus } from '../engine/saga-definition';
import type { SagaState } from '../engine/saga-state';

@Entity('saga_instance')
export class SagaInstanceEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'saga_type', type: 'text' })
  sagaType!: string;

  @Column({ name: 'aggregate_id', type: 'text' })
  aggregateId!: string;

  @Column({ type: 'text' })
  status!: SagaStatus;

  @Column({ name: 'current_step', type: 'text', nullable: true })
  currentStep!: string | null;

  @Column({ type: 'jsonb' })
  state!: SagaState;

  @Column({ type: 'jsonb', nullable: true })
  failure!: SagaFailure | null;

  @Column({ name: 'parent_saga_id', type: 'uuid', nullable: true })
  parentSagaId!: string | null;

  @Column({ name: 'child_key', type: 'text', nullable: true })
  childKey!: string | null;

  @Column({ name: 'trigger_type', type: 'text' })
  triggerType!: string;

  @Column({ name: 'trigger_message_id', type: 'text' })
  triggerMessageId!: string;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'user_id', type: 'text', nullable: true })
  userId!: string | null;

  @Column({ name: 'retries', type: 'integer', default: 0 })
  retries!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** When the saga as a whole runs out of time; set when it starts running (or an operator revives it). */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
