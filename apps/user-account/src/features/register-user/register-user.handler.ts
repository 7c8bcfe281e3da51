import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { UserRole } from '@tradecore/contracts';
import { amendMessageContext, DomainError } from '@tradecore/eventing';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { PasswordHasher } from '../../infrastructure/password-hasher';
import { UserStream } from '../../infrastructure/user-stream';
import { isUniqueEmailViolation, UserRecord } from '../../infrastructure/user-record.entity';

export class RegisterUserCommand extends Command<{ userId: string; version: number }> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly displayName: string,
    readonly role: UserRole = 'user',
  ) {
    super();
  }
}

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    @Inject(UserStream) private readonly users: UserStream,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
  ) {}

  async execute({ email, password, displayName, role }: RegisterUserCommand) {
    const userId = uuidv7();
    // Registration is anonymous; from here on the request acts for the new user, so its events say whose they are.
    amendMessageContext({ userId });
    const passwordHash = await this.hasher.hash(password);
    const now = new Date();
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.insert(UserRecord, {
          userId,
          email,
          displayName,
          passwordHash,
          role,
          status: 'active',
          createdAt: now,
          updatedAt: now,
        });
        const result = await this.users.execute(
          userId,
          { type: 'RegisterUser', userId, role, at: now.toISOString() },
          { tx: manager },
        );
        return { userId, version: result.version };
      });
    } catch (error) {
      if (!isUniqueEmailViolation(error)) throw error;
      throw new DomainError(
        'EMAIL_ALREADY_REGISTERED',
        'An account with this email already exists; log in instead',
        { field: 'email' },
      );
    }
  }
}
