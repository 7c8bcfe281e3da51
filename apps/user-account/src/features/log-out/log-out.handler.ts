import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UserStream } from '../../infrastructure/user-stream';
import { endSession, invalidRefreshToken, Sessions } from '../../infrastructure/sessions';

export class LogOutCommand extends Command<void> {
  constructor(readonly refreshToken: string) {
    super();
  }
}

/**
 * Ends the login the refresh token belongs to. UserSessionEnded tells every service to refuse
 * that login's access tokens and close its sockets at once, not when the tokens expire.
 */
@CommandHandler(LogOutCommand)
export class LogOutHandler implements ICommandHandler<LogOutCommand> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(UserStream) private readonly users: UserStream,
  ) {}

  async execute({ refreshToken }: LogOutCommand): Promise<void> {
    const known = await this.dataSource.transaction(async (manager) => {
      const token = await this.sessions.find(manager, refreshToken);
      if (!token) return false;
      await this.sessions.revokeFamily(manager, token.familyId);
      // A second logout with the same token changes nothing and says nothing again.
      if (!token.revokedAt) await endSession(this.users, manager, token, 'logged-out');
      return true;
    });
    if (!known) throw invalidRefreshToken();
  }
}
