import { Inject, NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, type EntityManager } from 'typeorm';
import { UserRecord } from '../../infrastructure/user-record.entity';

export class ProfileDto {
  @ApiProperty() userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['user', 'admin'] }) role!: string;
  @ApiProperty({ enum: ['active', 'deletion-requested'] }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({
    required: false,
    description: 'Set when the last deletion could not finish and the account was reopened: why, and when',
  })
  deletionCancelled?: { code: string; message: string; cancelledAt: string };
}

export class GetProfileQuery extends Query<ProfileDto> {
  constructor(readonly userId: string) {
    super();
  }
}

/** An erased user is gone as far as any reader can tell. */
export async function readProfile(manager: EntityManager, userId: string): Promise<ProfileDto> {
  const user = await manager.findOneBy(UserRecord, { userId });
  if (!user || user.status === 'deleted' || user.email === null) {
    throw new NotFoundException({ code: 'USER_NOT_FOUND', message: 'No such user' });
  }
  return {
    userId: user.userId,
    email: user.email,
    displayName: user.displayName ?? '',
    role: user.role,
    status: user.status,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    ...(user.deletionCancelled && {
      deletionCancelled: {
        code: user.deletionCancelled.reason.code,
        message: user.deletionCancelled.reason.message,
        cancelledAt: user.deletionCancelled.cancelledAt,
      },
    }),
  };
}

@QueryHandler(GetProfileQuery)
export class GetProfileHandler implements IQueryHandler<GetProfileQuery> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  execute({ userId }: GetProfileQuery): Promise<ProfileDto> {
    return readProfile(this.dataSource.manager, userId);
  }
}
