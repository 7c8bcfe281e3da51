import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ConnectionStream } from '../../infrastructure/connection-stream';

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

/** The user changed their mind before the purge began; the running disconnection saga is then refused its purge. */
@CommandHandler(ReconnectConnectionCommand)
export class ReconnectConnectionHandler implements ICommandHandler<ReconnectConnectionCommand> {
  constructor(@Inject(ConnectionStream) private readonly stream: ConnectionStream) {}

  async execute({ connectionId, userId }: ReconnectConnectionCommand) {
    const { version: expectedVersion } = await this.stream.loadOwned(connectionId, userId);
    const result = await this.stream.execute(
      connectionId,
      { type: 'Reconnect', at: new Date().toISOString() },
      { expectedVersion },
    );
    return { connectionId, status: result.state.status, version: result.version };
  }
}
