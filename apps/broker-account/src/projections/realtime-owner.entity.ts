import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OwnedKind } from '../domain/realtime-updates';

/** Which user a connection, paper account or automation belongs to, learnt from the events that name both. */
@Entity({ name: 'realtime_owners' })
export class RealtimeOwnerEntity {
  @PrimaryColumn({ type: 'text' })
  kind!: OwnedKind;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;
}
