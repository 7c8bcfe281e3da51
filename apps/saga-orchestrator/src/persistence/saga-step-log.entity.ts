import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The step timeline: one row per send, reply, timeout, skip or operator action. */
@Entity('saga_step_log')
export class SagaStepLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'saga_id', type: 'uuid' })
  sagaId!: string;

  @Column({ type: 'text' })
  step!: string;

  @Column({ type: 'text' })
  phase!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'text' })
  event!: string;

  @Column({ name: 'command_type', type: 'text', nullable: true })
  commandType!: string | null;

  @Column({ name: 'command_message_id', type: 'text', nullable: true })
  commandMessageId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  detail!: unknown;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
