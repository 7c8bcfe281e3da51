import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { invalidRefreshToken, Sessions } from '../../infrastructure/sessions';

export class LogOutCommand extends Command<void> {
  constructor(readonly refreshToken: string) {
    super();
  }
}

/** Ends the login the refresh token belongs to; its access tokens lapse within their short lifetime. */
@CommandHandler(LogOutCommand)
export class LogOutHandler implements ICommandHandler<LogOutCommand> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  async execute({ refreshToken }: LogOutCommand): Promise<void> {
    const known = await this.dataSource.transaction(async (manager) => {
      const token = await this.sessions.find(manager, refreshToken);
      if (token) await this.sessions.revokeFamily(manager, token.familyId);
      return token !== undefined;
    });
    if (!known) throw invalidRefreshToken();
  }
}
