import { Column, Entity, PrimaryColumn } from 'typeorm';

/** At most one per saga: the reply it waits for and until when. Polled with FOR UPDATE SKIP LOCKED. */
@Entity('saga_deadline')
export class SagaDeadlineEntity {
  @PrimaryColumn({ name: 'saga_id', type: 'uuid' })
  sagaId!: string;

  @Column({ type: 'text' })
  step!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;
}
