import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Sessions } from '../../infrastructure/sessions';
import { UserStream } from '../../infrastructure/user-stream';
import { UserRecord } from '../../infrastructure/user-record.entity';

export class RequestDeletionCommand extends Command<{
  userId: string;
  status: 'deletion-requested';
  version: number;
}> {
  constructor(readonly userId: string) {
    super();
  }
}

/** Starts the UserDeletion saga, which asks broker-connection to close every connection of the user first. */
@CommandHandler(RequestDeletionCommand)
export class RequestDeletionHandler implements ICommandHandler<RequestDeletionCommand> {
  constructor(
    @Inject(UserStream) private readonly users: UserStream,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  execute({ userId }: RequestDeletionCommand) {
    return this.dataSource.transaction(async (manager) => {
      const now = new Date();
      const result = await this.users.execute(
        userId,
        { type: 'RequestDeletion', userId, at: now.toISOString() },
        { tx: manager },
      );
      await manager.update(
        UserRecord,
        { userId },
        { status: 'deletion-requested', deletionCancelled: null, updatedAt: now },
      );
      await this.sessions.revokeAll(manager, userId);
      return { userId, status: 'deletion-requested' as const, version: result.version };
    });
  }
}
