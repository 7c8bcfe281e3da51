import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { ConnectionStream, loadOwnedConnection } from '../../infrastructure/connection-stream';

export interface DisconnectAccepted {
  readonly connectionId: string;
  readonly disconnectionId: string;
  readonly status: string;
  readonly version: number;
}

export class DisconnectConnectionCommand extends Command<DisconnectAccepted> {
  constructor(
    readonly connectionId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/** The BrokerDisconnectRequested it records starts the BrokerDisconnection saga. */
@CommandHandler(DisconnectConnectionCommand)
export class DisconnectConnectionHandler implements ICommandHandler<DisconnectConnectionCommand> {
  constructor(@Inject(ConnectionStream) private readonly stream: ConnectionStream) {}

  async execute({ connectionId, userId }: DisconnectConnectionCommand): Promise<DisconnectAccepted> {
    const { version: expectedVersion } = await loadOwnedConnection(this.stream, connectionId, userId);
    const disconnectionId = uuidv7();
    const result = await this.stream.execute(
      connectionId,
      { type: 'RequestDisconnect', disconnectionId, cause: 'user', at: new Date().toISOString() },
      { expectedVersion },
    );
    return { connectionId, disconnectionId, status: result.state.status, version: result.version };
  }
}
