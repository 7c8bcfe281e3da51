import { ForbiddenException, Inject, UnauthorizedException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { LoginThrottle } from '../../infrastructure/login-throttle';
import { HashingOverloadedException, PasswordHasher } from '../../infrastructure/password-hasher';
import { Sessions, TokenPair } from '../../infrastructure/sessions';
import { UserRecord } from '../../infrastructure/user-record.entity';

export class LogInCommand extends Command<TokenPair> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly clientAddress: string,
  ) {
    super();
  }
}

@CommandHandler(LogInCommand)
export class LogInHandler implements ICommandHandler<LogInCommand> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  async execute({ email, password, clientAddress }: LogInCommand): Promise<TokenPair> {
    await this.throttle.admitLogin(email, clientAddress);
    const user = await this.dataSource.manager
      .createQueryBuilder(UserRecord, 'user')
      .where('lower(user.email) = lower(:email)', { email })
      .getOne();
    const verified = await this.hasher.verify(user?.passwordHash, password).catch(async (error: unknown) => {
      if (error instanceof HashingOverloadedException)
        await this.throttle.giveBackLogin(email, clientAddress);
      throw error;
    });
    // The same answer, after the same work, whether the email is unknown or the password wrong.
    if (!verified || !user) {
      throw new UnauthorizedException({
        code: 'INVALID_CREDENTIALS',
        message: 'The email or password is wrong',
      });
    }
    await this.throttle.clearGuesses(email);
    if (user.status !== 'active') {
      throw new ForbiddenException({
        code: 'ACCOUNT_DELETION_PENDING',
        message: 'This account is being deleted and can no longer log in',
      });
    }
    return this.dataSource.transaction((manager) =>
      this.sessions.open(manager, { userId: user.userId, role: user.role }),
    );
  }
}
