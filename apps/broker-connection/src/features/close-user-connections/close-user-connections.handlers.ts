import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { CloseUserConnections, ReopenUserConnections } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { answerSagaCommand } from '../../infrastructure/saga-reply';
import { UserClosures } from '../../infrastructure/user-closures';
import { SagaCommandMessage } from '../saga-commands/saga-command';

export class CloseUserConnectionsMessage extends SagaCommandMessage<CloseUserConnections['payload']> {}
export class ReopenUserConnectionsMessage extends SagaCommandMessage<ReopenUserConnections['payload']> {}

/**
 * UserDeletion's step, read at the owner: every connection of the user as it stands now, whatever
 * its state, gets a child disconnection (or is joined to the one already running).
 */
@CommandHandler(CloseUserConnectionsMessage)
export class CloseUserConnectionsHandler implements ICommandHandler<CloseUserConnectionsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(UserClosures) private readonly closures: UserClosures,
  ) {}

  async execute({ envelope, manager, payload }: CloseUserConnectionsMessage): Promise<void> {
    await answerSagaCommand<'CloseUserConnections'>(this.store, envelope, manager, async () => {
      const disconnectionIds: string[] = [];
      for (const connectionId of await this.closures.close(manager, payload.userId)) {
        const { state } = await this.stream.execute(
          connectionId,
          {
            type: 'RequestDisconnect',
            disconnectionId: uuidv7(),
            cause: 'user-deletion',
            parentSagaId: payload.parentSagaId,
            at: new Date().toISOString(),
          },
          { tx: manager },
        );
        if (state.status !== 'ABSENT' && state.status !== 'PURGED' && state.disconnectionId)
          disconnectionIds.push(state.disconnectionId);
      }
      return { disconnectionIds };
    });
  }
}

/** The deletion was called off: the user may connect brokers again. */
@CommandHandler(ReopenUserConnectionsMessage)
export class ReopenUserConnectionsHandler implements ICommandHandler<ReopenUserConnectionsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(UserClosures) private readonly closures: UserClosures,
  ) {}

  async execute({ envelope, manager, payload }: ReopenUserConnectionsMessage): Promise<void> {
    await answerSagaCommand<'ReopenUserConnections'>(this.store, envelope, manager, async () => {
      await this.closures.reopen(manager, payload.userId);
      return {};
    });
  }
}
