import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@tradecore/eventing';
import { DataSource } from 'typeorm';
import { LoginThrottle } from '../../infrastructure/login-throttle';
import { HashingOverloadedException, PasswordHasher } from '../../infrastructure/password-hasher';
import { Sessions, TokenPair } from '../../infrastructure/sessions';
import { UserStream } from '../../infrastructure/user-stream';
import { UserRecord } from '../../infrastructure/user-record.entity';

export class ChangePasswordCommand extends Command<TokenPair> {
  constructor(
    readonly userId: string,
    readonly currentPassword: string,
    readonly newPassword: string,
  ) {
    super();
  }
}

/**
 * A new password ends every existing login, access tokens included (one UserSessionEnded each);
 * the caller gets a fresh login in the answer.
 */
@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(
    @Inject(UserStream) private readonly users: UserStream,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  async execute({ userId, currentPassword, newPassword }: ChangePasswordCommand): Promise<TokenPair> {
    const user = await this.dataSource.manager.findOneBy(UserRecord, { userId });
    if (!user || user.status === 'deleted') throw new DomainError('USER_NOT_FOUND', 'No such user');
    // A stolen access token must not become a way to guess the password faster than logging in.
    if (user.email) await this.throttle.admitPasswordCheck(user.email);
    const verified = await this.hasher
      .verify(user.passwordHash, currentPassword)
      .catch(async (error: unknown) => {
        if (error instanceof HashingOverloadedException && user.email) {
          await this.throttle.giveBackPasswordCheck(user.email);
        }
        throw error;
      });
    if (!verified) {
      throw new DomainError('CURRENT_PASSWORD_INCORRECT', 'The current password is wrong', {
        field: 'currentPassword',
      });
    }
    if (user.email) await this.throttle.clearGuesses(user.email);
    const passwordHash = await this.hasher.hash(newPassword);
    return this.dataSource.transaction(async (manager) => {
      const now = new Date();
      const endedSessionIds = await this.sessions.openFamilies(manager, userId);
      await this.users.execute(
        userId,
        { type: 'ChangePassword', userId, endedSessionIds, at: now.toISOString() },
        { tx: manager },
      );
      await manager.update(UserRecord, { userId }, { passwordHash, updatedAt: now });
      await this.sessions.revokeAll(manager, userId);
      return this.sessions.open(manager, { userId, role: user.role });
    });
  }
}
