import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@tradecore/eventing';
import { DataSource } from 'typeorm';
import { UserStream } from '../../infrastructure/user-stream';
import { isUniqueEmailViolation, UserRecord } from '../../infrastructure/user-record.entity';
import { ProfileDto, readProfile } from '../get-profile/get-profile.query';

export class UpdateProfileCommand extends Command<ProfileDto> {
  constructor(
    readonly userId: string,
    readonly changes: { readonly email?: string; readonly displayName?: string },
  ) {
    super();
  }
}

@CommandHandler(UpdateProfileCommand)
export class UpdateProfileHandler implements ICommandHandler<UpdateProfileCommand> {
  constructor(
    @Inject(UserStream) private readonly users: UserStream,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async execute({ userId, changes }: UpdateProfileCommand): Promise<ProfileDto> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const current = await readProfile(manager, userId);
        const changedFields = (['email', 'displayName'] as const).filter(
          (field) => changes[field] !== undefined && changes[field] !== current[field],
        );
        const now = new Date();
        await this.users.execute(
          userId,
          { type: 'UpdateProfile', userId, changedFields, at: now.toISOString() },
          { tx: manager },
        );
        if (changedFields.length > 0) {
          await manager.update(UserRecord, { userId }, { ...pick(changes, changedFields), updatedAt: now });
        }
        return readProfile(manager, userId);
      });
    } catch (error) {
      if (!isUniqueEmailViolation(error)) throw error;
      throw new DomainError('EMAIL_ALREADY_REGISTERED', 'Another account already uses this email', {
        field: 'email',
      });
    }
  }
}

function pick(changes: UpdateProfileCommand['changes'], fields: readonly ('email' | 'displayName')[]) {
  return Object.fromEntries(fields.map((field) => [field, changes[field]]));
}
