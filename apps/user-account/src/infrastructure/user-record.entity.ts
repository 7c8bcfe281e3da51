import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Reason, UserRole } from '@tradecore/contracts';
import type { UserStatus } from '../domain/user.decider';

/** A user's personal data; erasure nulls every personal column and keeps the id as a tombstone. */
@Entity({ name: 'users' })
export class UserRecord {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text', { nullable: true })
  email!: string | null;

  @Column('text', { name: 'display_name', nullable: true })
  displayName!: string | null;

  @Column('text', { name: 'password_hash', nullable: true })
  passwordHash!: string | null;

  @Column('text')
  role!: UserRole;

  @Column('text')
  status!: UserStatus;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'erased_at', nullable: true })
  erasedAt!: Date | null;

  @Column('jsonb', { name: 'deletion_cancelled', nullable: true })
  deletionCancelled!: DeletionCancelled | null;
}

export interface DeletionCancelled {
  readonly reason: Reason;
  readonly cancelledAt: string;
}

export function isUniqueEmailViolation(error: unknown): boolean {
  const candidate = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = candidate.code ?? candidate.driverError?.code;
  const constraint = candidate.constraint ?? candidate.driverError?.constraint;
  return code === '23505' && constraint === 'users_email_uq';
}
