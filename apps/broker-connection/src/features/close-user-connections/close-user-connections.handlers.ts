import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { CloseUserConnections, ReopenUserConnections, SagaCommandResult } from '@tradecore/contracts';
import { CommandContext } from '@tradecore/eventing';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { UserClosures } from '../../infrastructure/user-closures';

/**
 * UserDeletion's step, read at the owner: every connection of the user as it stands now, whatever
 * its state, gets a child disconnection (or is joined to the one already running).
 */
@Injectable()
export class CloseUserConnectionsHandler {
  constructor(
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(UserClosures) private readonly closures: UserClosures,
  ) {}

  async execute(
    payload: CloseUserConnections['payload'],
    { tx }: CommandContext,
  ): Promise<SagaCommandResult<'CloseUserConnections'>> {
    const disconnectionIds: string[] = [];
    for (const connectionId of await this.closures.close(tx, payload.userId)) {
      const { state } = await this.stream.execute(
        connectionId,
        {
          type: 'RequestDisconnect',
          disconnectionId: uuidv7(),
          cause: 'user-deletion',
          parentSagaId: payload.parentSagaId,
          at: new Date().toISOString(),
        },
        { tx },
      );
      if (state.status !== 'ABSENT' && state.status !== 'PURGED' && state.disconnectionId)
        disconnectionIds.push(state.disconnectionId);
    }
    return { disconnectionIds };
  }
}

/** The deletion was called off: the user may connect brokers again. */
@Injectable()
export class ReopenUserConnectionsHandler {
  constructor(@Inject(UserClosures) private readonly closures: UserClosures) {}

  async execute(
    payload: ReopenUserConnections['payload'],
    { tx }: CommandContext,
  ): Promise<SagaCommandResult<'ReopenUserConnections'>> {
    await this.closures.reopen(tx, payload.userId);
    return {};
  }
}
