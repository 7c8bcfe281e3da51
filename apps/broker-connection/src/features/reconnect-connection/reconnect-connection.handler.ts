import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ConnectionStream, loadOwnedConnection } from '../../infrastructure/connection-stream';
import { UserClosures } from '../../infrastructure/user-closures';

export class ReconnectConnectionCommand extends Command<{
  connectionId: string;
  status: string;
  version: number;
}> {
  constructor(
    readonly connectionId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/**
 * The user changed their mind before the purge began; the running disconnection saga is then
 * refused its purge. Not once the user's own deletion has begun.
 */
@CommandHandler(ReconnectConnectionCommand)
export class ReconnectConnectionHandler implements ICommandHandler<ReconnectConnectionCommand> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(UserClosures) private readonly closures: UserClosures,
  ) {}

  async execute({ connectionId, userId }: ReconnectConnectionCommand) {
    const { version: expectedVersion } = await loadOwnedConnection(this.stream, connectionId, userId);
    const result = await this.dataSource.transaction(async (manager) => {
      // A deletion's own disconnections must not be undone by a reconnect.
      await this.closures.assertOpen(manager, userId);
      return this.stream.execute(
        connectionId,
        { type: 'Reconnect', at: new Date().toISOString() },
        { expectedVersion, tx: manager },
      );
    });
    return { connectionId, status: result.state.status, version: result.version };
  }
}
